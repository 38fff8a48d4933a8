import Foundation

/// Addresses of the local stack's real servers, as exported by `deploy/local/stack.sh`
/// (`make test` sources `.stack/env` before running the tests).
public enum TestEnvironment {
    /// Superuser URL, for creating test fixtures the application role must not be able to.
    public static var postgresAdminURL: String { require("POSTGRES_ADMIN_URL") }
    /// Superuser URL of the platform test database (sees every tenant's rows: RLS does not apply).
    public static var postgresAdminTestDatabaseURL: String {
        var components = URLComponents(string: postgresAdminURL)!
        components.path = "/erp_test"
        return components.string!
    }
    /// The platform test database as its non-owner, non-superuser application role.
    public static var postgresURL: String { require("ERP_TEST_POSTGRES_URL") }
    /// The platform test database as its owner (migrations, DDL).
    public static var postgresOwnerURL: String { require("ERP_TEST_POSTGRES_OWNER_URL") }
    public static var redisURL: String { require("REDIS_URL") }
    public static var kafkaBootstrapServers: String { require("KAFKA_BOOTSTRAP_SERVERS") }
    public static var smtpURL: String { require("SMTP_URL") }
    public static var smtpMaildir: String { require("ERP_SMTP_MAILDIR") }

    /// A name unique to this test run, for tables, topics, groups and keys that tests share a server with.
    public static func uniqueName(_ prefix: String) -> String {
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        return "\(prefix)_\(suffix)"
    }

    private static func require(_ name: String) -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            // Tests need the real servers; running `swift test` bare is a set-up mistake, not a pass.
            fatalError("\(name) is not set: run the tests with `make test`, which starts the local stack")
        }
        return value
    }
}
