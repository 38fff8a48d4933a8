import Foundation
import Logging

/// Applies a service's migrations in version order, each exactly once.
///
/// - The whole run holds `pg_advisory_lock(hashtext(lockName))` on one connection, so replicas
///   starting together apply each migration once; the lock is released at the end, also on error.
/// - Applied versions are recorded in `schema_migrations` (found via the search path) with the
///   SHA-256 of their text; an applied migration whose text changed stops the run.
/// - Each migration and its `schema_migrations` row commit in one transaction: a failing
///   migration leaves nothing behind.
public struct PostgresMigrator: Sendable {
    private let pool: PostgresPool
    private let migrations: [PostgresMigration]
    private let lockName: String
    private let logger: Logger

    /// `lockName` identifies the migrating service (e.g. its name); runs with the same name exclude each other.
    public init(pool: PostgresPool, migrations: [PostgresMigration], lockName: String, logger: Logger) {
        self.pool = pool
        self.migrations = migrations
        self.lockName = lockName
        self.logger = logger
    }

    /// Reads `NNNN_some_name.sql` files from `directory`, sorted by version. Other file types are
    /// ignored; a `.sql` file with another name or two files with one version throw `.migration`.
    public static func load(from directory: URL) throws -> [PostgresMigration] {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        } catch {
            throw PostgresError(code: .migration, message: "the migrations directory \(directory.path) cannot be read")
        }
        var migrations: [PostgresMigration] = []
        for file in files where file.pathExtension == "sql" {
            let baseName = file.deletingPathExtension().lastPathComponent
            let parts = baseName.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, parts[0].allSatisfy(\.isASCIIDigit), let version = Int(parts[0]), !parts[1].isEmpty else {
                throw PostgresError(code: .migration, message: "migration file \(file.lastPathComponent) is not named like 0001_name.sql")
            }
            let sql: String
            do {
                sql = try String(contentsOf: file, encoding: .utf8)
            } catch {
                throw PostgresError(code: .migration, message: "migration file \(file.lastPathComponent) cannot be read as UTF-8")
            }
            migrations.append(PostgresMigration(version: version, name: String(parts[1]), sql: sql))
        }
        try checkUniqueVersions(migrations)
        return migrations.sorted { $0.version < $1.version }
    }

    /// The `Migrations` folder a service ships as a resource of its module (`.module`).
    public static func load(bundle: Bundle) throws -> [PostgresMigration] {
        guard let directory = bundle.url(forResource: "Migrations", withExtension: nil) else {
            throw PostgresError(code: .migration, message: "the Migrations resource is missing from \(bundle.bundleURL.lastPathComponent)")
        }
        return try load(from: directory)
    }

    /// Applies the migrations not yet applied and returns their versions (empty when up to date).
    @discardableResult
    public func migrate() async throws -> [Int] {
        try Self.checkUniqueVersions(migrations)
        let ordered = migrations.sorted { $0.version < $1.version }
        let lockName = self.lockName
        return try await pool.withConnection { connection in
            // Session-level lock: held across the per-migration transactions below.
            try await connection.query("SELECT pg_advisory_lock(hashtext(\(lockName)))")
            do {
                let applied = try await apply(ordered, on: connection)
                try await connection.query("SELECT pg_advisory_unlock(hashtext(\(lockName)))")
                return applied
            } catch {
                // If the connection broke, the server already released the lock with the session.
                _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext(\(lockName)))")
                throw error
            }
        }
    }

    private func apply(_ ordered: [PostgresMigration], on connection: PostgresConnection) async throws -> [Int] {
        try await connection.executeScript(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """
        )
        var recorded: [Int: String] = [:]
        for row in try await connection.query("SELECT version, checksum FROM schema_migrations") {
            recorded[try row.decode(Int.self, at: 0)] = try row.decode(String.self, at: 1)
        }
        let known = Set(ordered.map(\.version))
        for version in recorded.keys.sorted() where !known.contains(version) {
            // A newer replica may have migrated already; this one must not undo or fail on that.
            logger.warning("database has a migration this service does not know", metadata: ["erp.migration.version": "\(version)"])
        }

        var applied: [Int] = []
        for migration in ordered {
            let checksum = try await connection.query(
                "SELECT encode(sha256(convert_to(\(migration.sql), 'UTF8')), 'hex')"
            )[0].decode(String.self, at: 0)
            if let recordedChecksum = recorded[migration.version] {
                guard recordedChecksum == checksum else {
                    throw PostgresError(
                        code: .migration,
                        message: "migration \(migration.version) (\(migration.name)) was edited after it was applied"
                    )
                }
                continue
            }
            do {
                try await connection.transaction(isolation: .readCommitted, tenant: nil) { transaction in
                    try await transaction.executeScript(migration.sql)
                    try await transaction.execute(
                        "INSERT INTO schema_migrations (version, name, checksum) VALUES (\(migration.version), \(migration.name), \(checksum))"
                    )
                }
            } catch let error as PostgresError {
                logger.error(
                    "migration failed",
                    metadata: ["erp.migration.version": "\(migration.version)", "erp.postgres.sqlstate": "\(error.sqlState ?? "")"]
                )
                throw PostgresError(
                    code: .migration,
                    message: "migration \(migration.version) (\(migration.name)) failed: \(error.message)",
                    sqlState: error.sqlState,
                    constraint: error.constraint
                )
            }
            logger.info("applied migration", metadata: ["erp.migration.version": "\(migration.version)", "erp.migration.name": "\(migration.name)"])
            applied.append(migration.version)
        }
        return applied
    }

    private static func checkUniqueVersions(_ migrations: [PostgresMigration]) throws {
        var seen = Set<Int>()
        for migration in migrations where !seen.insert(migration.version).inserted {
            throw PostgresError(code: .migration, message: "two migrations have version \(migration.version)")
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
