import ERPProtocol
import Foundation
import HTTPTypes
import Testing

@testable import CRMService

@Suite("CRM: companies")
struct CompanyTests {
    @Test("create, read with ETag, update with If-Match (428 without, 412 when stale), events and timeline")
    func crudWithETags() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let created = try await harness.send(.post, "/v1/companies", token: tenant.token, json: """
                {"name":"Acme Corp","website":"https://www.Acme.com/about","industry":"Software","employeeCount":120,
                 "annualRevenue":{"amountMinor":1250000000,"currency":"EUR"},"address":{"city":"Berlin","country":"de"},"tags":["VIP","partner","vip"]}
                """)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.etag == "\"1\"")
            let company = try created.decoded(CompanyResponse.self)
            #expect(created.headers[.location] == "/v1/companies/\(company.id.lowercased)")
            #expect(company.domain == "acme.com")
            #expect(company.tags == ["partner", "vip"])
            #expect(company.address.country == "DE")
            #expect(company.ownerId == tenant.user)

            let read = try await harness.send(.get, "/v1/companies/\(company.id.lowercased)", token: tenant.token)
            #expect(read.status == .ok)
            #expect(read.etag == "\"1\"")

            let path = "/v1/companies/\(company.id.lowercased)"
            let missing = try await harness.send(.patch, path, token: tenant.token, json: #"{"name":"Acme"}"#)
            #expect(missing.status.code == 428)
            let stale = try await harness.send(.patch, path, token: tenant.token, json: #"{"name":"Acme"}"#, headers: .ifMatch("\"7\""))
            #expect(stale.status.code == 412)
            #expect(stale.problemCode == "precondition_failed")
            let updated = try await harness.send(
                .patch, path, token: tenant.token, json: #"{"name":"Acme GmbH","phone":null,"employeeCount":130}"#, headers: .ifMatch(read.etag))
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(updated.etag == "\"2\"")
            let after = try updated.decoded(CompanyResponse.self)
            #expect(after.name == "Acme GmbH")
            #expect(after.employeeCount == 130)
            #expect(after.domain == "acme.com")
            // The same If-Match again is stale now.
            let again = try await harness.send(.patch, path, token: tenant.token, json: #"{"name":"X"}"#, headers: .ifMatch(read.etag))
            #expect(again.status.code == 412)

            let unknown = try await harness.send(.patch, path, token: tenant.token, json: #"{"nmae":"typo"}"#, headers: .ifMatch(updated.etag))
            #expect(unknown.status.code == 422)
            #expect(unknown.problem?.errors?.first?.field == "nmae")

            #expect(try await harness.eventTypes(tenant.id) == ["erp.crm.company.created", "erp.crm.company.updated"])
            let events = try await harness.events(EventType.CRM.companyUpdated, tenant.id, as: CompanyEvent.self)
            #expect(events.first?.data.name == "Acme GmbH")
            #expect(events.first?.data.version == 2)
            #expect(events.first?.subject == company.id.lowercased)
        }
    }

    @Test("validation lists every offending field")
    func validation() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let response = try await harness.send(.post, "/v1/companies", token: tenant.token, json: """
                {"name":"","domain":"not a domain","employeeCount":-1,"address":{"country":"Germany"},"tags":["ok","bad!tag"]}
                """)
            #expect(response.status.code == 422)
            let fields = Set(response.problem?.errors?.map(\.field) ?? [])
            #expect(fields == ["name", "domain", "employeeCount", "address.country", "tags.1"])
        }
    }

    @Test("a second company with the same domain is refused; merging folds the duplicate into the survivor")
    func dedupeAndMerge() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let first = try await harness.create("/v1/companies", tenant, json: #"{"name":"Globex","domain":"globex.com","tags":["a"]}"#, as: CompanyResponse.self)
            let duplicate = try await harness.send(.post, "/v1/companies", token: tenant.token, json: #"{"name":"Globex Inc","website":"http://GLOBEX.com"}"#)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.problemCode == "duplicate_company")
            #expect(duplicate.problem?.detail?.contains(first.id.lowercased) == true)

            // A duplicate without a domain can still be created, then merged.
            let second = try await harness.create(
                "/v1/companies", tenant, json: #"{"name":"Globex (old)","industry":"Energy","phone":"+1 555","tags":["b"],"description":"legacy"}"#,
                as: CompanyResponse.self)
            let contact = try await harness.create(
                "/v1/contacts", tenant, json: #"{"firstName":"Hank","lastName":"Scorpio","companies":[{"companyId":"\#(second.id.lowercased)","role":"CEO","isPrimary":true}]}"#,
                as: ContactResponse.self)

            let path = "/v1/companies/\(first.id.lowercased)/merge"
            let selfMerge = try await harness.send(.post, path, token: tenant.token, json: #"{"duplicateId":"\#(first.id.lowercased)"}"#, headers: .ifMatch("\"1\""))
            #expect(selfMerge.status.code == 422)
            let merged = try await harness.send(.post, path, token: tenant.token, json: #"{"duplicateId":"\#(second.id.lowercased)"}"#, headers: .ifMatch("\"1\""))
            #expect(merged.status == .ok, "\(merged.text)")
            let survivor = try merged.decoded(CompanyResponse.self)
            #expect(survivor.name == "Globex")
            #expect(survivor.industry == "Energy")
            #expect(survivor.phone == "+1 555")
            #expect(survivor.tags == ["a", "b"])
            #expect(survivor.description == "legacy")
            #expect(survivor.version == 2)

            let gone = try await harness.send(.get, "/v1/companies/\(second.id.lowercased)", token: tenant.token).decoded(CompanyResponse.self)
            #expect(gone.deletedAt != nil)
            #expect(gone.mergedInto == first.id)
            let restore = try await harness.send(.post, "/v1/companies/\(second.id.lowercased)/restore", token: tenant.token)
            #expect(restore.problemCode == "record_merged")

            let linked = try await harness.send(.get, "/v1/contacts/\(contact.id.lowercased)", token: tenant.token).decoded(ContactResponse.self)
            #expect(linked.companies?.map(\.companyId) == [first.id])
            #expect(linked.companies?.first?.role == "CEO")
            #expect(linked.companies?.first?.isPrimary == true)
            let mergedEvents = try await harness.events(EventType.CRM.companyMerged, tenant.id, as: RecordMerged.self)
            #expect(mergedEvents.map(\.data.mergedId) == [second.id])
        }
    }

    @Test("soft delete hides a company from lists, the trash lists it, restore brings it back unless its domain was taken")
    func softDeleteAndRestore() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let company = try await harness.create("/v1/companies", tenant, json: #"{"name":"Initech","domain":"initech.com"}"#, as: CompanyResponse.self)
            let path = "/v1/companies/\(company.id.lowercased)"
            let staleDelete = try await harness.send(.delete, path, token: tenant.token, headers: .ifMatch("\"9\""))
            #expect(staleDelete.status.code == 412)
            #expect(try await harness.send(.delete, path, token: tenant.token).status == .noContent)
            #expect(try await harness.send(.delete, path, token: tenant.token).status == .notFound)
            let live = try await harness.send(.get, "/v1/companies", token: tenant.token).decoded(Page<CompanyResponse>.self)
            #expect(live.items.isEmpty)
            let trash = try await harness.send(.get, "/v1/companies?deleted=true", token: tenant.token).decoded(Page<CompanyResponse>.self)
            #expect(trash.items.map(\.id) == [company.id])

            // The domain is free while the company is in the trash…
            let taker = try await harness.create("/v1/companies", tenant, json: #"{"name":"Initech 2","domain":"initech.com"}"#, as: CompanyResponse.self)
            let blocked = try await harness.send(.post, "\(path)/restore", token: tenant.token)
            #expect(blocked.problemCode == "duplicate_company")
            // …and once the taker is gone the original comes back.
            #expect(try await harness.send(.delete, "/v1/companies/\(taker.id.lowercased)", token: tenant.token).status == .noContent)
            let restored = try await harness.send(.post, "\(path)/restore", token: tenant.token)
            #expect(restored.status == .ok, "\(restored.text)")
            #expect(try restored.decoded(CompanyResponse.self).deletedAt == nil)
            let notDeleted = try await harness.send(.post, "\(path)/restore", token: tenant.token)
            #expect(notDeleted.problemCode == "record_not_deleted")
            #expect(try await harness.eventTypes(tenant.id).filter { $0.hasPrefix("erp.crm.company.") && $0.hasSuffix("ed") }.contains("erp.crm.company.restored"))
        }
    }

    @Test("cursor pagination walks every company once in the chosen order")
    func pagination() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let names = ["delta", "Alpha", "charlie", "Echo", "bravo", "foxtrot", "golf"]
            for name in names {
                _ = try await harness.create("/v1/companies", tenant, json: #"{"name":"\#(name)","industry":"\#(name.count > 4 ? "long" : "short")"}"#, as: CompanyResponse.self)
            }
            for (sort, expected) in [
                ("name", names.sorted { $0.lowercased() < $1.lowercased() }),
                ("-name", names.sorted { $0.lowercased() > $1.lowercased() }),
                ("createdAt", names),
                ("-createdAt", Array(names.reversed())),
            ] {
                var seen: [String] = []
                var cursor: String?
                repeat {
                    let path = "/v1/companies?limit=3&sort=\(sort)" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let page = try await harness.send(.get, path, token: tenant.token).decoded(Page<CompanyResponse>.self)
                    seen += page.items.map(\.name)
                    cursor = page.nextCursor?.rawValue
                } while cursor != nil
                #expect(seen == expected, "sort \(sort)")
            }
            let filtered = try await harness.send(.get, "/v1/companies?industry=LONG&limit=50", token: tenant.token).decoded(Page<CompanyResponse>.self)
            #expect(Set(filtered.items.map(\.name)) == Set(names.filter { $0.count > 4 }))
            let badSort = try await harness.send(.get, "/v1/companies?sort=domain", token: tenant.token)
            #expect(badSort.status.code == 422)
            let first = try await harness.send(.get, "/v1/companies?limit=2&sort=name", token: tenant.token).decoded(Page<CompanyResponse>.self)
            let mismatched = try await harness.send(.get, "/v1/companies?sort=-createdAt&cursor=\(first.nextCursor!.rawValue)", token: tenant.token)
            #expect(mismatched.status.code == 422)
        }
    }
}
