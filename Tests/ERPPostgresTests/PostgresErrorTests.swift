import ERPPostgres
import ERPTestSupport
import Foundation
import Logging
import Testing

@Suite("PostgresError mapping and secrecy")
struct PostgresErrorTests {
    @Test("a unique violation is typed, names its constraint and does not quote the duplicate value")
    func uniqueViolation() async throws {
        try await PostgresTestDatabase.withOwnerTable(
            "uniq", columns: "id serial PRIMARY KEY, email text NOT NULL",
            extraSQL: { "ALTER TABLE \($0) ADD CONSTRAINT \($0)_email_key UNIQUE (email)" }
        ) { table in
            let pool = try PostgresTestDatabase.appPool(poolSize: 1)
            let email = "duplicate-\(UUID())@example.com"
            try await pool.execute("INSERT INTO \(identifier: table) (email) VALUES (\(email))")
            let error = try await #require(throws: PostgresError.self) {
                try await pool.execute("INSERT INTO \(identifier: table) (email) VALUES (\(email))")
            }
            #expect(error.code == .uniqueViolation)
            #expect(error.sqlState == "23505")
            #expect(error.constraint == "\(table)_email_key")
            #expect(!error.isRetryable)
            #expect(!error.description.contains(email))
            #expect(!error.message.contains(email))
        }
    }

    @Test("foreign key, check and not-null violations are typed")
    func constraintViolations() async throws {
        try await PostgresTestDatabase.withOwnerTable("parent", columns: "id int PRIMARY KEY") { parent in
            try await PostgresTestDatabase.withOwnerTable(
                "child",
                columns: "id int PRIMARY KEY, parent_id int NOT NULL CONSTRAINT child_parent_fk REFERENCES \(parent)(id), qty int CONSTRAINT child_qty_positive CHECK (qty > 0)"
            ) { child in
                let pool = try PostgresTestDatabase.appPool(poolSize: 1)
                let foreignKey = try await #require(throws: PostgresError.self) {
                    try await pool.execute("INSERT INTO \(identifier: child) (id, parent_id, qty) VALUES (1, \(42), 1)")
                }
                #expect(foreignKey.code == .foreignKeyViolation)
                #expect(foreignKey.constraint == "child_parent_fk")

                try await pool.execute("INSERT INTO \(identifier: parent) (id) VALUES (\(42))")
                let check = try await #require(throws: PostgresError.self) {
                    try await pool.execute("INSERT INTO \(identifier: child) (id, parent_id, qty) VALUES (1, 42, \(-3))")
                }
                #expect(check.code == .checkViolation)
                #expect(check.constraint == "child_qty_positive")

                let notNull = try await #require(throws: PostgresError.self) {
                    try await pool.execute("INSERT INTO \(identifier: child) (id, parent_id, qty) VALUES (1, \(nil as Int?), 1)")
                }
                #expect(notNull.code == .notNullViolation)
                #expect(notNull.sqlState == "23502")
            }
        }
    }

    @Test("other server errors keep their SQLSTATE; a rejected bind is not quoted in the message")
    func otherServerErrors() async throws {
        let pool = try PostgresTestDatabase.appPool(poolSize: 1)
        let syntax = try await #require(throws: PostgresError.self) { try await pool.query("SELEC 1") }
        #expect(syntax.code == .server)
        #expect(syntax.sqlState == "42601")

        let secret = "card-4111111111111111"
        let cast = try await #require(throws: PostgresError.self) { try await pool.query("SELECT \(secret)::int") }
        #expect(cast.sqlState == "22P02")
        #expect(!cast.description.contains(secret))

        let canceled = try await #require(throws: PostgresError.self) {
            try await pool.withTransaction { connection in
                try await connection.executeScript("SET LOCAL statement_timeout = '50ms'")
                return try await connection.query("SELECT pg_sleep(2)")
            }
        }
        #expect(canceled.code == .queryCanceled)
    }

    @Test("junk URLs are invalid configuration; descriptions never show the password")
    func configuration() throws {
        for junk in ["", "not a url", "mysql://user@localhost/db", "postgres://host/db?no_such_option=1", "http://127.0.0.1:5432/db"] {
            #expect(throws: PostgresError(code: .invalidConfiguration, message: ""), "\(junk)") {
                try PostgresConfiguration(url: junk)
            }
        }
        #expect(throws: PostgresError(code: .invalidConfiguration, message: "")) {
            try PostgresConfiguration(url: "postgres://127.0.0.1/db", poolSize: 0)
        }
        let configuration = try PostgresConfiguration(url: "postgresql://app:Pa55-w0rd-XYZ@db.internal:6543/erp?sslmode=disable")
        #expect(configuration.description == "postgres://app@db.internal:6543/erp")
        #expect(!"\(configuration)".contains("Pa55-w0rd-XYZ"))
        #expect(!String(reflecting: configuration.description).contains("Pa55-w0rd-XYZ"))
    }

    @Test("a connection failure is typed, and neither the error nor the logs contain the password")
    func connectionFailure() async throws {
        let password = "TopSecret-\(UUID().uuidString.prefix(8))"
        let port = FreePort.find()  // nothing listens there
        let recorder = RecordingLogHandler()
        let configuration = try PostgresConfiguration(url: "postgres://erp_test_app:\(password)@127.0.0.1:\(port)/erp_test", poolSize: 1)
        let pool = PostgresPool(configuration: configuration, logger: Logger(label: "test") { _ in recorder })
        let error = try await #require(throws: PostgresError.self) { try await pool.ping() }
        #expect(error.code == .connectionFailed)
        #expect(!error.description.contains(password))
        #expect(!String(reflecting: error).contains(password))
        #expect(!recorder.text.isEmpty)
        #expect(!recorder.text.contains(password))
        // The failed slot was released: the pool is not stuck at its bound.
        let again = try await #require(throws: PostgresError.self) { try await pool.ping() }
        #expect(again.code == .connectionFailed)
    }
}
