import ERPProtocol
import Foundation
import HTTPTypes
import Testing

@testable import CRMService

/// The documented list filters that the per-resource suites do not already cover, and their
/// validation errors (422 naming the parameter).
@Suite("CRM: list filters")
struct ListFilterTests {
    /// The field names of a 422 answer to `GET path`.
    func invalidFields(_ harness: CRMHarness, _ tenant: TestTenant, _ path: String) async throws -> [String] {
        let response = try await harness.send(.get, path, token: tenant.token)
        #expect(response.status.code == 422, "\(path): \(response.text)")
        return response.problem?.errors?.map(\.field) ?? []
    }

    @Test("createdFrom/createdTo and updatedFrom/updatedTo bound the timestamps (From inclusive, To exclusive); ownerId; bad values")
    func timestampsAndOwner() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let first = try await harness.create("/v1/companies", tenant, json: #"{"name":"First"}"#, as: CompanyResponse.self)
            try await Task.sleep(for: .milliseconds(30))
            let second = try await harness.create("/v1/companies", tenant, json: #"{"name":"Second"}"#, as: CompanyResponse.self)
            func names(_ query: String) async throws -> [String] {
                let response = try await harness.send(.get, "/v1/companies?sort=name&\(query)", token: tenant.token)
                #expect(response.status == .ok, "\(query): \(response.text)")
                return try response.decoded(Page<CompanyResponse>.self).items.map(\.name)
            }
            // Between the two creations: the JSON timestamps have milliseconds, the rows microseconds.
            let betweenCreations = ERPJSON.string(from: first.createdAt.addingTimeInterval(0.015))
            #expect(try await names("createdFrom=\(betweenCreations)") == ["Second"])
            #expect(try await names("createdTo=\(betweenCreations)") == ["First"])
            try await Task.sleep(for: .milliseconds(30))
            let patched = try await harness.send(
                .patch, "/v1/companies/\(first.id.lowercased)", token: tenant.token, json: #"{"industry":"Retail"}"#, headers: .ifMatch("\"1\""))
            #expect(patched.status == .ok)
            let beforeUpdate = ERPJSON.string(from: second.updatedAt.addingTimeInterval(0.015))
            #expect(try await names("updatedFrom=\(beforeUpdate)") == ["First"])
            #expect(try await names("updatedTo=\(beforeUpdate)") == ["Second"])
            #expect(try await names("ownerId=\(tenant.user)") == ["First", "Second"])
            #expect(try await names("ownerId=\(UserID.random())").isEmpty)
            #expect(try await invalidFields(harness, tenant, "/v1/companies?ownerId=nobody&createdFrom=yesterday&updatedTo=2026-13-45")
                == ["ownerId", "createdFrom", "updatedTo"])
            #expect(try await invalidFields(harness, tenant, "/v1/companies?domain=not%20a%20domain") == ["domain"])
            #expect(try await invalidFields(harness, tenant, "/v1/contacts?companyId=42") == ["companyId"])
        }
    }

    @Test("leads filter by status, source, priority and minScore")
    func leads() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let hot = try await harness.create("/v1/leads", tenant, json: """
                {"lastName":"Hot","source":"web","budget":{"amountMinor":15000000,"currency":"USD"},"purchaseTimeline":"immediate",
                 "technicalComplexity":"low","decisionRole":"decision_maker","industry":"SaaS"}
                """, as: LeadResponse.self)
            _ = try await harness.create("/v1/leads", tenant, json: #"{"lastName":"Cold","source":"referral"}"#, as: LeadResponse.self)
            #expect(try await harness.send(.post, "/v1/leads/\(hot.id.lowercased)/status", token: tenant.token, json: #"{"status":"contacted"}"#).status == .ok)
            func names(_ query: String) async throws -> [String] {
                let response = try await harness.send(.get, "/v1/leads?sort=name&\(query)", token: tenant.token)
                #expect(response.status == .ok, "\(query): \(response.text)")
                return try response.decoded(Page<LeadResponse>.self).items.map(\.lastName)
            }
            #expect(try await names("status=contacted") == ["Hot"])
            #expect(try await names("status=new") == ["Cold"])
            #expect(try await names("source=referral") == ["Cold"])
            #expect(try await names("priority=immediate") == ["Hot"])
            #expect(try await names("priority=LOW") == ["Cold"])
            #expect(try await names("minScore=50") == ["Hot"])
            #expect(try await names("minScore=0") == ["Cold", "Hot"])
            #expect(try await invalidFields(harness, tenant, "/v1/leads?status=hot&source=tv&priority=urgent&minScore=101")
                == ["status", "source", "priority", "minScore"])
        }
    }

    @Test("opportunities filter by status, pipeline, stage, company, contact, currency and maxAmount")
    func opportunities() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let company = try await harness.create("/v1/companies", tenant, json: #"{"name":"Buyer"}"#, as: CompanyResponse.self)
            let contact = try await harness.create("/v1/contacts", tenant, json: #"{"lastName":"Champion"}"#, as: ContactResponse.self)
            let linked = try await harness.create("/v1/opportunities", tenant, json: """
                {"name":"Linked","amount":{"amountMinor":50000,"currency":"EUR"},"companyId":"\(company.id.lowercased)","contactId":"\(contact.id.lowercased)"}
                """, as: OpportunityResponse.self)
            let loose = try await harness.create("/v1/opportunities", tenant, json: #"{"name":"Loose","amount":{"amountMinor":900,"currency":"USD"}}"#,
                                                 as: OpportunityResponse.self)
            let won = try await harness.send(.post, "/v1/opportunities/\(loose.id.lowercased)/won", token: tenant.token, json: #"{"reason":"Fit"}"#)
            #expect(won.status == .ok)
            func names(_ query: String) async throws -> [String] {
                let response = try await harness.send(.get, "/v1/opportunities?sort=name&\(query)", token: tenant.token)
                #expect(response.status == .ok, "\(query): \(response.text)")
                return try response.decoded(Page<OpportunityResponse>.self).items.map(\.name)
            }
            #expect(try await names("status=won") == ["Loose"])
            #expect(try await names("status=open") == ["Linked"])
            #expect(try await names("pipelineId=\(linked.pipelineId.lowercased)") == ["Linked", "Loose"])
            #expect(try await names("pipelineId=\(UUID().lowercased)").isEmpty)
            #expect(try await names("stageId=\(linked.stageId.lowercased)") == ["Linked"])
            #expect(try await names("companyId=\(company.id.lowercased)") == ["Linked"])
            #expect(try await names("contactId=\(contact.id.lowercased)") == ["Linked"])
            #expect(try await names("currency=usd") == ["Loose"])
            #expect(try await names("maxAmount=900") == ["Loose"])
            #expect(try await names("minAmount=901&maxAmount=50000") == ["Linked"])
            #expect(try await invalidFields(
                harness, tenant, "/v1/opportunities?status=pending&stageId=x&currency=EURO&maxAmount=1.5&closeTo=31.12.2026")
                == ["status", "stageId", "currency", "maxAmount", "closeTo"])
        }
    }

    @Test("activities filter by owner and dueAfter; bad values")
    func activities() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let company = try await harness.create("/v1/companies", tenant, json: #"{"name":"Client"}"#, as: CompanyResponse.self)
            for (subject, due) in [("Early", "2026-03-01T09:00:00Z"), ("Late", "2026-03-20T09:00:00Z")] {
                _ = try await harness.create("/v1/activities", tenant, json: """
                    {"kind":"task","subject":"\(subject)","recordType":"company","recordId":"\(company.id.lowercased)","dueAt":"\(due)"}
                    """, as: ActivityController.ActivityResponse.self)
            }
            func subjects(_ query: String) async throws -> [String] {
                let response = try await harness.send(.get, "/v1/activities?sort=dueAt&\(query)", token: tenant.token)
                #expect(response.status == .ok, "\(query): \(response.text)")
                return try response.decoded(Page<ActivityController.ActivityResponse>.self).items.map(\.subject)
            }
            #expect(try await subjects("dueAfter=2026-03-10T00:00:00Z") == ["Late"])
            #expect(try await subjects("dueAfter=2026-03-01T09:00:00Z") == ["Early", "Late"])
            #expect(try await subjects("dueBefore=2026-03-01T09:00:00Z").isEmpty)
            #expect(try await subjects("ownerId=\(tenant.user)") == ["Early", "Late"])
            #expect(try await subjects("ownerId=\(UserID.random())").isEmpty)
            #expect(try await invalidFields(harness, tenant, "/v1/activities?recordType=invoice&recordId=1&kind=visit&dueAfter=soon")
                == ["recordType", "recordId", "kind", "dueAfter"])
            #expect(try await invalidFields(harness, tenant, "/v1/activities?done=maybe") == ["done"])
        }
    }
}
