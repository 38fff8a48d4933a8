import ERPProtocol
import Foundation
import HTTPTypes
import Testing

@testable import CRMService

@Suite("CRM: contacts")
struct ContactTests {
    @Test("contacts link to companies with roles; one primary link; the company lists its contacts")
    func companyLinks() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let acme = try await harness.create("/v1/companies", tenant, json: #"{"name":"Acme"}"#, as: CompanyResponse.self)
            let globex = try await harness.create("/v1/companies", tenant, json: #"{"name":"Globex"}"#, as: CompanyResponse.self)
            let contact = try await harness.create("/v1/contacts", tenant, json: """
                {"firstName":"Ada","lastName":"Lovelace","email":" Ada@Example.COM ","companies":[{"companyId":"\(acme.id.lowercased)","role":"CTO","isPrimary":true}]}
                """, as: ContactResponse.self)
            #expect(contact.email == "ada@example.com")
            #expect(contact.companies?.map(\.role) == ["CTO"])

            let path = "/v1/contacts/\(contact.id.lowercased)"
            let linked = try await harness.send(.put, "\(path)/companies/\(globex.id.lowercased)", token: tenant.token, json: #"{"role":"Advisor","isPrimary":true}"#)
            #expect(linked.status == .ok, "\(linked.text)")
            #expect(linked.etag == "\"2\"")
            let links = try linked.decoded(ContactResponse.self).companies ?? []
            #expect(links.first?.companyId == globex.id)
            #expect(links.filter(\.isPrimary).map(\.companyId) == [globex.id])

            let members = try await harness.send(.get, "/v1/companies/\(acme.id.lowercased)/contacts", token: tenant.token)
                .decoded(Page<CompanyContactResponse>.self)
            #expect(members.items.map(\.name) == ["Ada Lovelace"])
            #expect(members.items.first?.role == "CTO")

            let unlinked = try await harness.send(.delete, "\(path)/companies/\(acme.id.lowercased)", token: tenant.token)
            #expect(try unlinked.decoded(ContactResponse.self).companies?.map(\.companyId) == [globex.id])
            #expect(try await harness.send(.delete, "\(path)/companies/\(acme.id.lowercased)", token: tenant.token).status == .notFound)

            let missingCompany = try await harness.send(.post, "/v1/contacts", token: tenant.token, json: """
                {"lastName":"X","companies":[{"companyId":"\(UUID().lowercased)"}]}
                """)
            #expect(missingCompany.status.code == 422)
            #expect(missingCompany.problem?.errors?.first?.field == "companies.0.companyId")
        }
    }

    @Test("a second contact with the same email is refused; merge moves links and fills gaps")
    func dedupeAndMerge() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let acme = try await harness.create("/v1/companies", tenant, json: #"{"name":"Acme"}"#, as: CompanyResponse.self)
            let survivor = try await harness.create("/v1/contacts", tenant, json: #"{"firstName":"Grace","lastName":"Hopper","email":"grace@navy.mil","tags":["x"]}"#, as: ContactResponse.self)
            let clash = try await harness.send(.post, "/v1/contacts", token: tenant.token, json: #"{"lastName":"Hopper","email":"GRACE@navy.mil"}"#)
            #expect(clash.status == .conflict)
            #expect(clash.problemCode == "duplicate_contact")
            #expect(clash.problem?.errors?.first?.field == "email")

            let duplicate = try await harness.create("/v1/contacts", tenant, json: """
                {"firstName":"G.","lastName":"Hopper","email":"ghopper@example.com","phone":"+1 202","title":"Rear Admiral","tags":["y"],
                 "companies":[{"companyId":"\(acme.id.lowercased)","role":"Consultant","isPrimary":true}]}
                """, as: ContactResponse.self)
            // Changing the duplicate's email to the survivor's is refused as well.
            let steal = try await harness.send(.patch, "/v1/contacts/\(duplicate.id.lowercased)", token: tenant.token, json: #"{"email":"grace@navy.mil"}"#, headers: .ifMatch("\"1\""))
            #expect(steal.problemCode == "duplicate_contact")

            let merged = try await harness.send(
                .post, "/v1/contacts/\(survivor.id.lowercased)/merge", token: tenant.token, json: #"{"duplicateId":"\#(duplicate.id.lowercased)"}"#,
                headers: .ifMatch("\"1\""))
            #expect(merged.status == .ok, "\(merged.text)")
            let result = try merged.decoded(ContactResponse.self)
            #expect(result.firstName == "Grace")
            #expect(result.email == "grace@navy.mil")
            #expect(result.phone == "+1 202")
            #expect(result.title == "Rear Admiral")
            #expect(result.tags == ["x", "y"])
            #expect(result.companies?.map(\.companyId) == [acme.id])
            #expect(result.companies?.first?.isPrimary == true)

            let old = try await harness.send(.get, "/v1/contacts/\(duplicate.id.lowercased)", token: tenant.token).decoded(ContactResponse.self)
            #expect(old.mergedInto == survivor.id)
            #expect(old.deletedAt != nil)
            // The duplicate's email is free again: it stays on the merged (deleted) record only.
            let reuse = try await harness.send(.post, "/v1/contacts", token: tenant.token, json: #"{"lastName":"New","email":"ghopper@example.com"}"#)
            #expect(reuse.status == .created)
            let events = try await harness.events(EventType.CRM.contactMerged, tenant.id, as: RecordMerged.self)
            #expect(events.first?.data == RecordMerged(recordType: "contact", survivorId: survivor.id, mergedId: duplicate.id, version: 2))
        }
    }

    @Test("soft delete and restore; a restore is refused while another contact holds the email")
    func softDelete() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let contact = try await harness.create("/v1/contacts", tenant, json: #"{"lastName":"Turing","email":"alan@example.com"}"#, as: ContactResponse.self)
            let path = "/v1/contacts/\(contact.id.lowercased)"
            #expect(try await harness.send(.delete, path, token: tenant.token, headers: .ifMatch("\"1\"")).status == .noContent)
            let patchDeleted = try await harness.send(.patch, path, token: tenant.token, json: #"{"title":"x"}"#, headers: .ifMatch("\"2\""))
            #expect(patchDeleted.status == .notFound)
            let other = try await harness.create("/v1/contacts", tenant, json: #"{"lastName":"Other","email":"alan@example.com"}"#, as: ContactResponse.self)
            #expect(try await harness.send(.post, "\(path)/restore", token: tenant.token).problemCode == "duplicate_contact")
            #expect(try await harness.send(.delete, "/v1/contacts/\(other.id.lowercased)", token: tenant.token).status == .noContent)
            let restored = try await harness.send(.post, "\(path)/restore", token: tenant.token)
            #expect(restored.status == .ok)
            #expect(restored.etag == "\"3\"")
            #expect(try await harness.eventTypes(tenant.id).contains("erp.crm.contact.restored"))
        }
    }

    @Test("lists filter by email, company and tag")
    func filters() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let acme = try await harness.create("/v1/companies", tenant, json: #"{"name":"Acme"}"#, as: CompanyResponse.self)
            _ = try await harness.create("/v1/contacts", tenant, json: #"{"lastName":"A","email":"a@x.io","tags":["vip"],"companies":[{"companyId":"\#(acme.id.lowercased)"}]}"#, as: ContactResponse.self)
            _ = try await harness.create("/v1/contacts", tenant, json: #"{"lastName":"B","email":"b@x.io"}"#, as: ContactResponse.self)
            func names(_ query: String) async throws -> [String] {
                try await harness.send(.get, "/v1/contacts?\(query)", token: tenant.token).decoded(Page<ContactResponse>.self).items.map(\.lastName).sorted()
            }
            #expect(try await names("email=B@X.io") == ["B"])
            #expect(try await names("companyId=\(acme.id.lowercased)") == ["A"])
            #expect(try await names("tag=VIP") == ["A"])
            #expect(try await names("ownerId=\(tenant.user)") == ["A", "B"])
            #expect(try await names("sort=email") == ["A", "B"])
        }
    }
}
