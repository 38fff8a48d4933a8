import ERPPostgres
import ERPTestSupport
import Foundation
import Testing

@Suite("Tenant transactions and row-level security")
struct PostgresRowLevelSecurityTests {
    /// The policy shape services use: `nullif` because a session that once had a tenant reads the
    /// setting as '' afterwards, and ''::uuid would fail.
    private static func policySQL(_ table: String) -> String {
        """
        ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY;
        ALTER TABLE \(table) FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON \(table)
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
        """
    }

    @Test("each tenant sees and writes only its own rows; outside a tenant nothing is visible")
    func isolation() async throws {
        try await PostgresTestDatabase.withOwnerTable(
            "rls", columns: "id serial PRIMARY KEY, tenant_id uuid NOT NULL, label text NOT NULL", extraSQL: Self.policySQL
        ) { table in
            // One connection, so every step below reuses the session the previous step left behind.
            let pool = try PostgresTestDatabase.appPool(poolSize: 1)
            let tenantA = UUID()
            let tenantB = UUID()

            let seenByA = try await pool.withTenantTransaction(tenant: tenantA) { connection in
                try await connection.execute("INSERT INTO \(identifier: table) (tenant_id, label) VALUES (\(tenantA), 'a1'), (\(tenantA), 'a2')")
                return try await connection.query("SELECT label FROM \(identifier: table) ORDER BY label").map { try $0.decode(String.self, at: 0) }
            }
            #expect(seenByA == ["a1", "a2"])

            let seenByB = try await pool.withTenantTransaction(tenant: tenantB) { connection in
                try await connection.execute("INSERT INTO \(identifier: table) (tenant_id, label) VALUES (\(tenantB), 'b1')")
                return try await connection.query("SELECT tenant_id, label FROM \(identifier: table)").map {
                    (try $0.decode(UUID.self, at: 0), try $0.decode(String.self, at: 1))
                }
            }
            #expect(seenByB.map(\.0) == [tenantB])
            #expect(seenByB.map(\.1) == ["b1"])

            // Writing another tenant's row inside tenant A's transaction is refused (WITH CHECK).
            let crossWrite = try await #require(throws: PostgresError.self) {
                try await pool.withTenantTransaction(tenant: tenantA) { connection in
                    try await connection.execute("INSERT INTO \(identifier: table) (tenant_id, label) VALUES (\(tenantB), 'sneaky')")
                }
            }
            #expect(crossWrite.sqlState == "42501")

            // Tenant A cannot update or delete B's rows either: they are invisible.
            let touched = try await pool.withTenantTransaction(tenant: tenantA) { connection in
                try await connection.execute("DELETE FROM \(identifier: table) WHERE tenant_id = \(tenantB)")
            }
            #expect(touched == 0)

            // Outside a tenant transaction (same session, setting now '') nothing is visible.
            let outside = try await pool.query("SELECT count(*) FROM \(identifier: table)")
            #expect(try outside[0].decode(Int.self, at: 0) == 0)
            let outsideTransaction = try await pool.withTransaction { connection in
                try await connection.query("SELECT count(*) FROM \(identifier: table)")[0].decode(Int.self, at: 0)
            }
            #expect(outsideTransaction == 0)

            // A fresh session (setting never set) sees nothing either, and the rows really exist.
            let fresh = try PostgresTestDatabase.appPool(poolSize: 1)
            #expect(try await fresh.query("SELECT count(*) FROM \(identifier: table)")[0].decode(Int.self, at: 0) == 0)
            let owner = try PostgresTestDatabase.adminPool()
            #expect(try await owner.query("SELECT count(*) FROM \(identifier: table)")[0].decode(Int.self, at: 0) == 3)
        }
    }

    @Test("the tenant setting is transaction-local and bound, not spliced into SQL")
    func settingIsLocal() async throws {
        let pool = try PostgresTestDatabase.appPool(poolSize: 1)
        let tenant = UUID()
        let inside = try await pool.withTenantTransaction(tenant: tenant) { connection in
            try await connection.query("SELECT current_setting('app.tenant_id')")[0].decode(String.self, at: 0)
        }
        #expect(inside == tenant.uuidString.lowercased())
        let after = try await pool.query("SELECT coalesce(current_setting('app.tenant_id', true), '')")
        #expect(try after[0].decode(String.self, at: 0) == "")
        let retrying = try await pool.withRetryingTransaction(tenant: tenant) { connection in
            try await connection.query("SELECT current_setting('app.tenant_id')")[0].decode(String.self, at: 0)
        }
        #expect(retrying == tenant.uuidString.lowercased())
    }
}
