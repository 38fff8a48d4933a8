import ERPProtocol
import Foundation
import HTTPTypes
import Testing

@testable import CRMService

@Suite("CRM: search")
struct SearchTests {
    typealias Hit = SearchController.Hit

    /// A small tenant with records of every type.
    static func seed(_ harness: CRMHarness, _ tenant: TestTenant) async throws {
        for company in [#"{"name":"Acme Robotics","domain":"acme-robotics.com","industry":"Manufacturing","address":{"city":"Zürich"}}"#,
                        #"{"name":"Globex","domain":"globex.com"}"#, #"{"name":"Acme Foods","domain":"acmefoods.io"}"#] {
            _ = try await harness.create("/v1/companies", tenant, json: company, as: CompanyResponse.self)
        }
        for contact in [#"{"firstName":"John","lastName":"Smith","email":"jsmith@acme-robotics.com","title":"CTO"}"#,
                        #"{"firstName":"Johanna","lastName":"Smythe","email":"jo@globex.com"}"#,
                        #"{"firstName":"Peter","lastName":"Parker","email":"peter@dailybugle.com","phone":"+1 555 0100"}"#] {
            _ = try await harness.create("/v1/contacts", tenant, json: contact, as: ContactResponse.self)
        }
        _ = try await harness.create("/v1/leads", tenant, json: #"{"firstName":"Sam","lastName":"Acmeson","companyName":"Acme Labs","source":"web"}"#, as: LeadResponse.self)
        _ = try await harness.create("/v1/opportunities", tenant, json: #"{"name":"Acme Robotics renewal","amount":{"amountMinor":100,"currency":"USD"}}"#, as: OpportunityResponse.self)
    }

    func search(_ harness: CRMHarness, _ token: String, _ query: String) async throws -> [Hit] {
        let response = try await harness.send(.get, "/v1/search?\(query)", token: token)
        #expect(response.status == .ok, "\(query): \(response.text)")
        return try response.decoded(Page<Hit>.self).items
    }

    @Test("word prefixes across all record types, every word must match, email and domain parts count")
    func prefixes() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            try await Self.seed(harness, tenant)
            let acme = try await search(harness, tenant.token, "q=acm")
            #expect(Set(acme.map(\.title)) == ["Acme Robotics", "Acme Foods", "Sam Acmeson", "Acme Robotics renewal", "John Smith"])
            #expect(Set(acme.map(\.type)) == [.company, .lead, .opportunity, .contact])
            #expect(zip(acme, acme.dropFirst()).allSatisfy { $0.rank >= $1.rank })
            #expect(try await search(harness, tenant.token, "q=acme%20rob").map(\.title).sorted() == ["Acme Robotics", "Acme Robotics renewal", "John Smith"])
            #expect(try await search(harness, tenant.token, "q=john%20smith").map(\.title) == ["John Smith"])
            #expect(try await search(harness, tenant.token, "q=dailybugle").map(\.title) == ["Peter Parker"])
            #expect(try await search(harness, tenant.token, "q=z%C3%BCrich").map(\.title) == ["Acme Robotics"])
            let onlyCompanies = try await search(harness, tenant.token, "q=acme&types=company")
            #expect(onlyCompanies.map(\.type) == [.company, .company], "\(onlyCompanies)")
            #expect(try await search(harness, tenant.token, "q=nothing").isEmpty)
            #expect(try await harness.send(.get, "/v1/search?q=a", token: tenant.token).status.code == 422)
            #expect(try await harness.send(.get, "/v1/search", token: tenant.token).status.code == 422)
        }
    }

    @Test("fuzzy search (pg_trgm) finds typos that prefixes miss")
    func typos() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            try await Self.seed(harness, tenant)
            #expect(try await search(harness, tenant.token, "q=jon%20smiht").isEmpty)
            let fuzzy = try await search(harness, tenant.token, "q=jon%20smiht&fuzzy=true")
            #expect(fuzzy.first?.title == "John Smith")
            let globx = try await search(harness, tenant.token, "q=globx&fuzzy=true&types=company")
            #expect(globx.map(\.title) == ["Globex"])
        }
    }

    @Test("cursor pagination walks every hit once; deleted records, other tenants and unreadable types are left out")
    func pagingAndScope() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            for index in 0..<7 {
                _ = try await harness.create("/v1/contacts", tenant, json: #"{"firstName":"Pat","lastName":"Number\#(index)"}"#, as: ContactResponse.self)
            }
            let all = try await search(harness, tenant.token, "q=pat&limit=200")
            #expect(all.count == 7)
            var paged: [UUID] = []
            var cursor: String?
            repeat {
                let page = try await harness.send(.get, "/v1/search?q=pat&limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""), token: tenant.token)
                    .decoded(Page<Hit>.self)
                paged += page.items.map(\.id)
                cursor = page.nextCursor?.rawValue
            } while cursor != nil
            #expect(paged == all.map(\.id))
            #expect(try await harness.send(.delete, "/v1/contacts/\(all[0].id.lowercased)", token: tenant.token).status == .noContent)
            #expect(try await search(harness, tenant.token, "q=pat&limit=200").count == 6)
            let other = try harness.tenant()
            #expect(try await search(harness, other.token, "q=pat").isEmpty)
            let companiesOnly = try harness.token(tenant: tenant.id, permissions: ["crm.company.read"])
            #expect(try await search(harness, companiesOnly, "q=pat").isEmpty)
            #expect(try await harness.send(.get, "/v1/search?q=pat&types=contact", token: companiesOnly).status == .forbidden)
        }
    }

    @Test("record lists take q too, ordered by relevance unless a sort is given")
    func listSearch() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            try await Self.seed(harness, tenant)
            let contacts = try await harness.send(.get, "/v1/contacts?q=jo", token: tenant.token).decoded(Page<ContactResponse>.self)
            #expect(Set(contacts.items.map(\.lastName)) == ["Smith", "Smythe"])
            let sorted = try await harness.send(.get, "/v1/companies?q=acme&sort=name", token: tenant.token).decoded(Page<CompanyResponse>.self)
            #expect(sorted.items.map(\.name) == ["Acme Foods", "Acme Robotics"])
            let paged = try await harness.send(.get, "/v1/companies?q=acme&limit=1", token: tenant.token).decoded(Page<CompanyResponse>.self)
            let next = try await harness.send(.get, "/v1/companies?q=acme&limit=1&cursor=\(paged.nextCursor!.rawValue)", token: tenant.token)
                .decoded(Page<CompanyResponse>.self)
            #expect(Set(paged.items.map(\.name) + next.items.map(\.name)) == ["Acme Foods", "Acme Robotics"])
            #expect(next.nextCursor == nil)
            let leads = try await harness.send(.get, "/v1/leads?q=acme%20labs", token: tenant.token).decoded(Page<LeadResponse>.self)
            #expect(leads.items.map(\.lastName) == ["Acmeson"])
        }
    }
}
