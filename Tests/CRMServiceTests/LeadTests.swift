import ERPProtocol
import Foundation
import HTTPTypes
import Testing

@testable import CRMService

@Suite("CRM: leads")
struct LeadTests {
    @Test("status follows new → contacted → qualified → unqualified/converted; wrong steps are 409, unqualified needs a reason")
    func statusMachine() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let lead = try await harness.create("/v1/leads", tenant, json: #"{"firstName":"Lee","lastName":"Ad","source":"web"}"#, as: LeadResponse.self)
            #expect(lead.status == .new)
            let path = "/v1/leads/\(lead.id.lowercased)/status"
            #expect(try await harness.send(.post, path, token: tenant.token, json: #"{"status":"qualified"}"#).problemCode == "invalid_status_transition")
            #expect(try await harness.send(.post, path, token: tenant.token, json: #"{"status":"converted"}"#).status.code == 422)
            #expect(try await harness.send(.post, path, token: tenant.token, json: #"{"status":"contacted"}"#).status == .ok)
            #expect(try await harness.send(.post, path, token: tenant.token, json: #"{"status":"qualified"}"#).status == .ok)
            let noReason = try await harness.send(.post, path, token: tenant.token, json: #"{"status":"unqualified"}"#)
            #expect(noReason.problem?.errors?.first?.field == "reason")
            let unqualified = try await harness.send(.post, path, token: tenant.token, json: #"{"status":"unqualified","reason":"No budget this year"}"#)
            #expect(try unqualified.decoded(LeadResponse.self).statusReason == "No budget this year")
            #expect(try await harness.send(.post, path, token: tenant.token, json: #"{"status":"contacted"}"#).problemCode == "invalid_status_transition")
            #expect(try await harness.send(.post, path, token: tenant.token, json: #"{"status":"new"}"#).status == .ok)
            let changes = try await harness.events(EventType.CRM.leadStatusChanged, tenant.id, as: LeadStatusChanged.self).map { "\($0.data.from)→\($0.data.to)" }
            #expect(changes == ["new→contacted", "contacted→qualified", "qualified→unqualified", "unqualified→new"])
        }
    }

    @Test("owners: manual assignment, round-robin in turn (also for new leads), events")
    func assignment() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let lead = try await harness.create("/v1/leads", tenant, json: #"{"lastName":"One","source":"referral"}"#, as: LeadResponse.self)
            #expect(lead.ownerId == tenant.user)
            let assign = "/v1/leads/\(lead.id.lowercased)/assign"
            #expect(try await harness.send(.post, assign, token: tenant.token, json: "{}").problemCode == "round_robin_empty")
            let alice = try await harness.member(tenant.id), bob = try await harness.member(tenant.id), carol = try await harness.member(tenant.id)
            let manual = try await harness.send(.post, assign, token: tenant.token, json: #"{"ownerId":"\#(carol)"}"#)
            #expect(try manual.decoded(LeadResponse.self).ownerId == carol)

            let rotation = try await harness.send(.put, "/v1/lead-assignment", token: tenant.token, json: #"{"userIds":["\#(alice)","\#(bob)"]}"#)
            #expect(rotation.status == .ok)
            var owners: [UserID?] = []
            for index in 0..<3 {
                owners.append(try await harness.create("/v1/leads", tenant, json: #"{"lastName":"RR\#(index)","source":"web"}"#, as: LeadResponse.self).ownerId)
            }
            owners.append(try await harness.send(.post, assign, token: tenant.token, json: #"{"method":"round_robin"}"#).decoded(LeadResponse.self).ownerId)
            #expect(owners == [alice, bob, alice, bob])
            let state = try await harness.send(.get, "/v1/lead-assignment", token: tenant.token).decoded(LeadAssignmentController.Rotation.self)
            #expect(state.assignments == 4)
            #expect(state.lastAssignedUserId == bob)
            let methods = try await harness.events(EventType.CRM.leadAssigned, tenant.id, as: LeadAssigned.self).map(\.data.method)
            #expect(methods == ["manual", "round_robin", "round_robin", "round_robin", "round_robin"])

            // Creating a lead for someone else needs crm.lead.assign.
            let creatorOnly = try harness.token(tenant: tenant.id, permissions: ["crm.lead.create", "crm.lead.read"])
            let refused = try await harness.send(.post, "/v1/leads", token: creatorOnly, json: #"{"lastName":"X","source":"web","ownerId":"\#(alice)"}"#)
            #expect(refused.status == .forbidden)
        }
    }

    @Test("conversion creates contact, company and opportunity in one transaction and marks the lead converted")
    func conversion() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let lead = try await harness.create("/v1/leads", tenant, json: """
                {"firstName":"Mia","lastName":"Wong","email":"mia@wongtech.io","title":"CTO","companyName":"Wong Tech","website":"https://wongtech.io",
                 "source":"event","budget":{"amountMinor":4500000,"currency":"EUR"},"industry":"SaaS"}
                """, as: LeadResponse.self)
            let convertPath = "/v1/leads/\(lead.id.lowercased)/convert"
            #expect(try await harness.send(.post, convertPath, token: tenant.token, json: "{}").problemCode == "lead_not_convertible")
            for status in ["contacted", "qualified"] {
                #expect(try await harness.send(.post, "/v1/leads/\(lead.id.lowercased)/status", token: tenant.token, json: #"{"status":"\#(status)"}"#).status == .ok)
            }
            let converted = try await harness.send(.post, convertPath, token: tenant.token, json: #"{"opportunity":{"expectedCloseDate":"2026-09-30"}}"#)
            #expect(converted.status == .ok, "\(converted.text)")
            let result = try converted.decoded(LeadController.ConversionResponse.self)
            #expect(result.lead.status == .converted)
            #expect(result.lead.conversion?.opportunityId == result.opportunity.id)
            #expect(result.company?.name == "Wong Tech")
            #expect(result.company?.domain == "wongtech.io")
            #expect(result.contact.email == "mia@wongtech.io")
            #expect(result.contact.companies?.first?.companyId == result.company?.id)
            #expect(result.contact.companies?.first?.role == "CTO")
            #expect(result.opportunity.amount == Money(amountMinor: 4_500_000, currency: CurrencyCode("EUR")!))
            #expect(result.opportunity.name == "Wong Tech deal")
            #expect(result.opportunity.stageName == "Prospecting")
            #expect(result.opportunity.leadId == lead.id)
            #expect(result.opportunity.expectedCloseDate?.description == "2026-09-30")
            let types = try await harness.eventTypes(tenant.id)
            for type in ["erp.crm.company.created", "erp.crm.contact.created", "erp.crm.opportunity.created", "erp.crm.lead.converted"] {
                #expect(types.contains(type), "\(type)")
            }
            #expect(try await harness.send(.post, convertPath, token: tenant.token, json: "{}").problemCode == "lead_not_convertible")
            #expect(try await harness.send(.patch, "/v1/leads/\(lead.id.lowercased)", token: tenant.token, json: #"{"title":"x"}"#, headers: .ifMatch(result.lead.version.etag)).status == .conflict)

            // A second lead with the same email and website converts onto the existing contact and company.
            let second = try await harness.create("/v1/leads", tenant, json: """
                {"lastName":"Wong","email":"MIA@wongtech.io","website":"wongtech.io","companyName":"Other name","source":"web"}
                """, as: LeadResponse.self)
            for status in ["contacted", "qualified"] {
                _ = try await harness.send(.post, "/v1/leads/\(second.id.lowercased)/status", token: tenant.token, json: #"{"status":"\#(status)"}"#)
            }
            let noAmount = try await harness.send(.post, "/v1/leads/\(second.id.lowercased)/convert", token: tenant.token, json: "{}")
            #expect(noAmount.problem?.errors?.first?.field == "opportunity.amount")
            let again = try await harness.send(
                .post, "/v1/leads/\(second.id.lowercased)/convert", token: tenant.token,
                json: #"{"opportunity":{"name":"Upsell","amount":{"amountMinor":100000,"currency":"EUR"}}}"#)
            let reused = try again.decoded(LeadController.ConversionResponse.self)
            #expect(reused.contact.id == result.contact.id)
            #expect(reused.company?.id == result.company?.id)
            let companies = try await harness.send(.get, "/v1/companies", token: tenant.token).decoded(Page<CompanyResponse>.self)
            #expect(companies.items.count == 1)
        }
    }

    @Test("a conversion whose opportunity insert fails writes nothing at all")
    func conversionIsAtomic() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            // Fault injection at the database: the opportunity insert fails after the company and
            // contact were written in the same transaction.
            try await harness.asOwner("""
                CREATE FUNCTION fail_opportunity() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'injected failure'; END $$;
                CREATE TRIGGER fail_opportunity BEFORE INSERT ON opportunities FOR EACH ROW
                    WHEN (NEW.name = 'FAIL') EXECUTE FUNCTION fail_opportunity();
                """)
            let lead = try await harness.create("/v1/leads", tenant, json: """
                {"firstName":"Al","lastName":"Most","email":"al@almost.io","companyName":"Almost Inc","source":"partner",
                 "budget":{"amountMinor":900000,"currency":"USD"}}
                """, as: LeadResponse.self)
            for status in ["contacted", "qualified"] {
                _ = try await harness.send(.post, "/v1/leads/\(lead.id.lowercased)/status", token: tenant.token, json: #"{"status":"\#(status)"}"#)
            }
            // The default pipeline is seeded outside the failing request, so what is compared below is only the conversion.
            _ = try await harness.send(.get, "/v1/pipelines", token: tenant.token)
            let before = try await harness.eventTypes(tenant.id)

            let failed = try await harness.send(.post, "/v1/leads/\(lead.id.lowercased)/convert", token: tenant.token, json: #"{"opportunity":{"name":"FAIL"}}"#)
            #expect(failed.status == .internalServerError)
            #expect(try await harness.eventTypes(tenant.id) == before)
            #expect(try await harness.send(.get, "/v1/companies?deleted=false", token: tenant.token).decoded(Page<CompanyResponse>.self).items.isEmpty)
            #expect(try await harness.send(.get, "/v1/contacts", token: tenant.token).decoded(Page<ContactResponse>.self).items.isEmpty)
            #expect(try await harness.send(.get, "/v1/opportunities", token: tenant.token).decoded(Page<OpportunityResponse>.self).items.isEmpty)
            let after = try await harness.send(.get, "/v1/leads/\(lead.id.lowercased)", token: tenant.token).decoded(LeadResponse.self)
            #expect(after.status == .qualified)
            #expect(after.conversion == nil)
            let owner = try await harness.pool.withTenantTransaction(tenant: tenant.id.uuid) { connection in
                try await connection.query("SELECT (SELECT count(*) FROM companies) + (SELECT count(*) FROM contacts) + (SELECT count(*) FROM timeline_entries WHERE record_type IN ('company','contact'))").first?.decode(Int.self, at: 0)
            }
            #expect(owner == 0)

            // The same conversion without the fault goes through.
            let ok = try await harness.send(.post, "/v1/leads/\(lead.id.lowercased)/convert", token: tenant.token, json: #"{"opportunity":{"name":"Real deal"}}"#)
            #expect(ok.status == .ok, "\(ok.text)")
        }
    }
}

extension Int64 {
    /// The ETag of this version.
    var etag: String { "\"\(self)\"" }
}
