import ERPPostgres
import ERPTestSupport
import Foundation
import Testing

@Suite("PostgresMigrator")
struct PostgresMigratorTests {
    /// Runs `body` with an owner URL whose search path is a fresh schema, so each test has its own
    /// `schema_migrations` on the shared database.
    private func withPrivateSchema(_ body: (String, PostgresPool) async throws -> Void) async throws {
        let schema = TestEnvironment.uniqueName("mig")
        let owner = try PostgresTestDatabase.ownerPool(poolSize: 1)
        try await owner.execute("CREATE SCHEMA \(identifier: schema)")
        let base = TestEnvironment.postgresOwnerURL
        let url = base + (base.contains("?") ? "&" : "?") + "options=-c%20search_path%3D\(schema)"
        do {
            try await body(url, owner)
        } catch {
            _ = try? await owner.execute("DROP SCHEMA \(identifier: schema) CASCADE")
            throw error
        }
        try await owner.execute("DROP SCHEMA \(identifier: schema) CASCADE")
    }

    private func migrator(_ url: String, _ migrations: [PostgresMigration], lock: String) throws -> PostgresMigrator {
        let pool = try PostgresTestDatabase.ownerPool(poolSize: 1, url: url)
        return PostgresMigrator(pool: pool, migrations: migrations, lockName: lock, logger: PostgresTestDatabase.quietLogger)
    }

    private static let createItems = PostgresMigration(
        version: 1, name: "create_items", sql: "CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL);"
    )
    private static let seedItems = PostgresMigration(
        version: 2, name: "seed_items",
        sql: "INSERT INTO items VALUES (1, 'one');\nINSERT INTO items VALUES (2, 'two');\nCREATE INDEX items_label ON items (label);"
    )

    @Test("migrations are applied once, in order, and recorded with checksums")
    func appliesOnce() async throws {
        try await withPrivateSchema { url, _ in
            let lock = TestEnvironment.uniqueName("lock")
            let first = try migrator(url, [Self.seedItems, Self.createItems], lock: lock)
            #expect(try await first.migrate() == [1, 2])
            #expect(try await first.migrate() == [])
            let again = try migrator(url, [Self.createItems, Self.seedItems], lock: lock)
            #expect(try await again.migrate() == [])

            let pool = try PostgresTestDatabase.ownerPool(poolSize: 1, url: url)
            #expect(try await pool.query("SELECT count(*) FROM items")[0].decode(Int.self, at: 0) == 2)
            let recorded = try await pool.query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
            #expect(try recorded.map { try $0.decode(Int.self, named: "version") } == [1, 2])
            #expect(try recorded.map { try $0.decode(String.self, named: "name") } == ["create_items", "seed_items"])
            let checksum = try recorded[0].decode(String.self, named: "checksum")
            #expect(checksum.count == 64)
            let expected = try await pool.query("SELECT encode(sha256(\(Array(Self.createItems.sql.utf8))), 'hex')")
            #expect(try expected[0].decode(String.self, at: 0) == checksum)
        }
    }

    @Test("two pools migrating at once apply each migration once (advisory lock)")
    func concurrentMigrators() async throws {
        try await withPrivateSchema { url, _ in
            let lock = TestEnvironment.uniqueName("lock")
            // Slow first migration, so the second runner really arrives while the first holds the lock.
            let slow = PostgresMigration(version: 1, name: "slow", sql: "SELECT pg_sleep(0.3); CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL);")
            let one = try migrator(url, [slow, Self.seedItems], lock: lock)
            let two = try migrator(url, [slow, Self.seedItems], lock: lock)
            async let a = one.migrate()
            async let b = two.migrate()
            let (appliedA, appliedB) = try await (a, b)
            #expect((appliedA + appliedB).sorted() == [1, 2])
            #expect(appliedA.isEmpty || appliedB.isEmpty)
        }
    }

    @Test("a failing migration leaves no table, no record, and no lock behind")
    func failingMigration() async throws {
        try await withPrivateSchema { url, owner in
            let lock = TestEnvironment.uniqueName("lock")
            let broken = PostgresMigration(version: 2, name: "broken", sql: "CREATE TABLE half (id int);\nSELECT 1/0;")
            let runner = try migrator(url, [Self.createItems, broken], lock: lock)
            let error = try await #require(throws: PostgresError.self) { try await runner.migrate() }
            #expect(error.code == .migration)
            #expect(error.message.contains("2"))
            #expect(error.sqlState == "22012")

            let pool = try PostgresTestDatabase.ownerPool(poolSize: 1, url: url)
            #expect(try await pool.query("SELECT to_regclass('half') IS NULL")[0].decode(Bool.self, at: 0))
            #expect(try await pool.query("SELECT version FROM schema_migrations").map { try $0.decode(Int.self, at: 0) } == [1])
            // The advisory lock was released: another session can take it at once.
            let free = try await owner.query("SELECT pg_try_advisory_lock(hashtext(\(lock)))")[0].decode(Bool.self, at: 0)
            #expect(free)
            try await owner.query("SELECT pg_advisory_unlock(hashtext(\(lock)))")

            let fixed = PostgresMigration(version: 2, name: "fixed", sql: "CREATE TABLE half (id int);")
            #expect(try await migrator(url, [Self.createItems, fixed], lock: lock).migrate() == [2])
        }
    }

    @Test("a migration edited after it was applied stops the run")
    func editedMigration() async throws {
        try await withPrivateSchema { url, _ in
            let lock = TestEnvironment.uniqueName("lock")
            #expect(try await migrator(url, [Self.createItems], lock: lock).migrate() == [1])
            let edited = PostgresMigration(version: 1, name: "create_items", sql: Self.createItems.sql + "\n-- tweak")
            let error = try await #require(throws: PostgresError.self) {
                try await migrator(url, [edited, Self.seedItems], lock: lock).migrate()
            }
            #expect(error.code == .migration)
            #expect(error.message.contains("migration 1"))
            #expect(error.message.contains("edited"))
            // Nothing after the mismatch ran.
            let pool = try PostgresTestDatabase.ownerPool(poolSize: 1, url: url)
            #expect(try await pool.query("SELECT count(*) FROM items")[0].decode(Int.self, at: 0) == 0)
        }
    }

    @Test("load(from:) reads NNNN_name.sql files in version order and rejects duplicates and odd names")
    func loadFromDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("migrations"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ name: String, _ text: String) throws {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write("0010_add_index.sql", "CREATE INDEX x ON t (a);")
        try write("0002_add_column.sql", "ALTER TABLE t ADD COLUMN a int;")
        try write("0001_create_t.sql", "CREATE TABLE t (id int);")
        try write("README.md", "not a migration")

        let loaded = try PostgresMigrator.load(from: directory)
        #expect(loaded.map(\.version) == [1, 2, 10])
        #expect(loaded.map(\.name) == ["create_t", "add_column", "add_index"])
        #expect(loaded[0].sql == "CREATE TABLE t (id int);")

        try write("2_other_column.sql", "ALTER TABLE t ADD COLUMN b int;")
        let duplicate = try #require(throws: PostgresError.self) { try PostgresMigrator.load(from: directory) }
        #expect(duplicate.code == .migration)
        #expect(duplicate.message.contains("2"))
        try FileManager.default.removeItem(at: directory.appendingPathComponent("2_other_column.sql"))

        try write("cleanup.sql", "DROP TABLE t;")
        #expect(throws: PostgresError(code: .migration, message: "")) { try PostgresMigrator.load(from: directory) }
    }
}
