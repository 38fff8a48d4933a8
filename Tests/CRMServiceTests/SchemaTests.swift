import ERPPostgres
import ERPProtocol
import Foundation
import Testing

@testable import CRMService

@Suite("CRM: schema")
struct SchemaTests {
    @Test("every table with a tenant_id has row-level security enabled and forced")
    func rowLevelSecurityEverywhere() async throws {
        try await CRMHarness.run { harness in
            let rows = try await harness.pool.query(
                """
                SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = \(harness.schema.name) AND c.relkind = 'r'
                  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
                  AND c.relname NOT IN ('outbox', 'inbox')
                ORDER BY c.relname
                """
            )
            #expect(rows.count >= 7)
            for row in rows {
                let name = try row.decode(String.self, at: 0)
                #expect(try row.decode(Bool.self, at: 1), "\(name) has no row-level security")
                #expect(try row.decode(Bool.self, at: 2), "\(name) does not force row-level security")
            }
        }
    }

    @Test("another tenant's records are 404, and its rows are invisible to the application role")
    func crossTenant() async throws {
        try await CRMHarness.run { harness in
            let owner = try harness.tenant()
            let other = try harness.tenant()
            let company = try await harness.create("/v1/companies", owner, json: #"{"name":"Secret","domain":"secret.io"}"#, as: CompanyResponse.self)
            let contact = try await harness.create("/v1/contacts", owner, json: #"{"lastName":"Hidden","email":"h@secret.io"}"#, as: ContactResponse.self)
            for path in ["/v1/companies/\(company.id.lowercased)", "/v1/contacts/\(contact.id.lowercased)",
                         "/v1/companies/\(company.id.lowercased)/contacts"] {
                #expect(try await harness.send(.get, path, token: other.token).status == .notFound, "\(path)")
            }
            let patch = try await harness.send(.patch, "/v1/companies/\(company.id.lowercased)", token: other.token, json: #"{"name":"Mine"}"#, headers: .ifMatch("\"1\""))
            #expect(patch.status == .notFound)
            #expect(try await harness.send(.delete, "/v1/contacts/\(contact.id.lowercased)", token: other.token).status == .notFound)
            // The same domain and email are free in the other tenant.
            _ = try await harness.create("/v1/companies", other, json: #"{"name":"Mine","domain":"secret.io"}"#, as: CompanyResponse.self)
            let list = try await harness.send(.get, "/v1/contacts", token: other.token).decoded(Page<ContactResponse>.self)
            #expect(list.items.isEmpty)
            // Outside any tenant transaction the application role sees nothing at all.
            let visible = try await harness.pool.query("SELECT count(*) FROM companies").first?.decode(Int.self, at: 0)
            #expect(visible == 0)
        }
    }
}
