import ERPPostgres
import Foundation
import Logging

/// A private schema in the test database, so tests that own whole tables (outbox, inbox,
/// migrations) can run in parallel without seeing each other's rows.
///
/// Created by the owner role with the same grants the stack gives `public`: the application
/// role may read and write the tables the owner creates there, nothing more.
public struct TestSchema: Sendable {
    public let name: String
    /// Application role (not owner, not superuser), search_path set to the schema.
    public let appURL: String
    /// Owner role, for migrations and DDL.
    public let ownerURL: String

    public static func create(_ prefix: String = "t") async throws -> TestSchema {
        let name = TestEnvironment.uniqueName(prefix)
        let owner = try PostgresPool(configuration: PostgresConfiguration(url: TestEnvironment.postgresOwnerURL, poolSize: 1), logger: Logger(label: "test-schema"))
        defer { Task { await owner.shutdown() } }
        let appRole = URLComponents(string: TestEnvironment.postgresURL)?.user ?? "erp_test_app"
        try await owner.withConnection { connection in
            try await connection.executeScript(
                """
                CREATE SCHEMA \(name);
                GRANT USAGE ON SCHEMA \(name) TO \(appRole);
                ALTER DEFAULT PRIVILEGES IN SCHEMA \(name) GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO \(appRole);
                ALTER DEFAULT PRIVILEGES IN SCHEMA \(name) GRANT USAGE, SELECT ON SEQUENCES TO \(appRole);
                """
            )
        }
        return TestSchema(
            name: name,
            appURL: withSearchPath(TestEnvironment.postgresURL, schema: name),
            ownerURL: withSearchPath(TestEnvironment.postgresOwnerURL, schema: name)
        )
    }

    /// Drops the schema and everything in it.
    public func drop() async throws {
        let owner = try PostgresPool(configuration: PostgresConfiguration(url: TestEnvironment.postgresOwnerURL, poolSize: 1), logger: Logger(label: "test-schema"))
        try await owner.withConnection { connection in
            try await connection.executeScript("DROP SCHEMA IF EXISTS \(name) CASCADE")
        }
        await owner.shutdown()
    }

    private static func withSearchPath(_ url: String, schema: String) -> String {
        let separator = url.contains("?") ? "&" : "?"
        return url + separator + "options=-csearch_path%3D\(schema)"
    }
}
