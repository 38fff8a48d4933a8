import ERPPostgres
import ERPProtocol
import Foundation
import HTTPTypes
import Testing

@testable import CRMService

/// Fuzzy search looks similar words up in `search_words` (the tenant's distinct words) before
/// search_terms: it must accept exactly what comparing with every record word accepted, and the
/// word table must hold every record word.
@Suite("CRM: fuzzy search")
struct FuzzySearchTests {
    typealias Hit = SearchController.Hit

    func ids(_ harness: CRMHarness, _ tenant: TestTenant, _ query: String) async throws -> Set<UUID> {
        let response = try await harness.send(.get, "/v1/search?limit=200&fuzzy=true&q=\(query)", token: tenant.token)
        #expect(response.status == .ok, "\(query): \(response.text)")
        return Set(try response.decoded(Page<Hit>.self).items.map(\.id))
    }

    /// The documented rule computed the slow way, straight over every record word: a word that
    /// starts with `word`, or starts with its first letter and has pg_trgm similarity ≥ 0.25.
    func expected(_ harness: CRMHarness, _ tenant: TestTenant, _ word: String) async throws -> Set<UUID> {
        try await harness.pool.withTenantTransaction(tenant: tenant.id.uuid) { connection in
            Set(try await connection.query(
                """
                SELECT DISTINCT record_id FROM search_terms
                WHERE starts_with(term, \(word)) OR (left(term, 1) = left(\(word), 1) AND public.similarity(term, \(word)) >= 0.25)
                """
            ).map { try $0.decode(UUID.self, at: 0) })
        }
    }

    /// The tenant's words: (distinct words of search_terms, words of search_words).
    func wordSets(_ harness: CRMHarness, _ tenant: TestTenant) async throws -> (terms: Set<String>, words: Set<String>) {
        try await harness.pool.withTenantTransaction(tenant: tenant.id.uuid) { connection in
            let terms = try await connection.query("SELECT DISTINCT term FROM search_terms").map { try $0.decode(String.self, at: 0) }
            let words = try await connection.query("SELECT word FROM search_words").map { try $0.decode(String.self, at: 0) }
            return (Set(terms), Set(words))
        }
    }

    @Test("typos match exactly the records whose words are similar enough, short and long words alike")
    func sameMatchesAsEveryWord() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            try await SearchTests.seed(harness, tenant)
            for contact in [#"{"firstName":"Johnathan","lastName":"Smithson","email":"johnathan.smithson@acme-robotics.com"}"#,
                            #"{"firstName":"Jo","lastName":"Sm"}"#, #"{"firstName":"Jonas","lastName":"Schmidt","title":"Head of Global Exports"}"#] {
                _ = try await harness.create("/v1/contacts", tenant, json: contact, as: ContactResponse.self)
            }
            for word in ["jon", "smiht", "globx", "acmx", "jsmiht", "robotcs", "parkr", "zurih", "jo", "exprts", "johnathansmithson", "jx"] {
                let found = try await ids(harness, tenant, word)
                #expect(found == (try await expected(harness, tenant, word)), "\(word)")
            }
            #expect(try await ids(harness, tenant, "jon").count >= 3)
            // Two typos, one per word: both words must still match.
            let smith = try await harness.send(.get, "/v1/search?fuzzy=true&q=johm%20smiht", token: tenant.token).decoded(Page<Hit>.self)
            #expect(smith.items.map(\.title).contains("John Smith"))
            #expect(!smith.items.map(\.title).contains("Jonas Schmidt"))
        }
    }

    @Test("a renamed or deleted record's words stop matching; search_words holds every word of search_terms")
    func wordsFollowRecords() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let kept = try await harness.create("/v1/contacts", tenant, json: #"{"firstName":"Zebulon","lastName":"Quartermaine"}"#, as: ContactResponse.self)
            let removed = try await harness.create("/v1/contacts", tenant, json: #"{"firstName":"Xanthe","lastName":"Vandermeer"}"#, as: ContactResponse.self)
            #expect(try await ids(harness, tenant, "qartermaine") == [kept.id])
            #expect(try await ids(harness, tenant, "vandermer") == [removed.id])
            #expect(try await wordSets(harness, tenant).words.isSuperset(of: ["quartermaine", "vandermeer", "zebulon"]))

            let renamed = try await harness.send(
                .patch, "/v1/contacts/\(kept.id.lowercased)", token: tenant.token, json: #"{"lastName":"Smith"}"#, headers: .ifMatch("\"1\""))
            #expect(renamed.status == .ok)
            #expect(try await ids(harness, tenant, "qartermaine").isEmpty)
            #expect(try await ids(harness, tenant, "smiht") == [kept.id])
            #expect(try await harness.send(.delete, "/v1/contacts/\(removed.id.lowercased)", token: tenant.token).status == .noContent)
            #expect(try await ids(harness, tenant, "vandermer").isEmpty)

            // Words are only added: the renamed record's old word may stay, but no record word is missing.
            let (terms, words) = try await wordSets(harness, tenant)
            #expect(words.contains("smith"))
            #expect(words.isSuperset(of: terms))
            // Another tenant's words are neither visible nor matched.
            let other = try harness.tenant()
            #expect(try await ids(harness, other, "smiht").isEmpty)
            #expect(try await wordSets(harness, other).words.isEmpty)
        }
    }
}
