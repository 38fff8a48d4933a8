import ERPPostgres
import ERPTestSupport
import Foundation
import Logging
import Synchronization

/// Pools on the local stack's shared test database, and tables created for one test only.
enum PostgresTestDatabase {
    /// The application role: not owner, not superuser, subject to row-level security.
    static func appPool(poolSize: Int = 4, applicationName: String? = nil, logger: Logger = quietLogger) throws -> PostgresPool {
        try pool(TestEnvironment.postgresURL, poolSize: poolSize, applicationName: applicationName, logger: logger)
    }

    /// The owner role, for DDL.
    static func ownerPool(poolSize: Int = 2, url: String = TestEnvironment.postgresOwnerURL) throws -> PostgresPool {
        try pool(url, poolSize: poolSize)
    }

    /// The superuser, on the test database (it bypasses row-level security) or on `postgres`.
    static func adminPool(onTestDatabase: Bool = true) throws -> PostgresPool {
        guard onTestDatabase else { return try pool(TestEnvironment.postgresAdminURL, poolSize: 1) }
        let admin = TestEnvironment.postgresAdminURL
        let testDatabase = TestEnvironment.postgresURL.split(separator: "/").last.map(String.init) ?? "erp_test"
        let server = admin[..<(admin.lastIndex(of: "/") ?? admin.endIndex)]
        return try pool("\(server)/\(testDatabase)", poolSize: 1)
    }

    static func pool(_ url: String, poolSize: Int, applicationName: String? = nil, logger: Logger = quietLogger) throws -> PostgresPool {
        let configuration = try PostgresConfiguration(url: url, poolSize: poolSize, applicationName: applicationName ?? "erp-postgres-tests")
        return PostgresPool(configuration: configuration, logger: logger)
    }

    static let quietLogger = Logger(label: "erp.postgres.tests") { _ in SwiftLogNoOpLogHandler() }

    /// Creates a table as the owner (usable by the app role through default privileges), runs
    /// `body` with its name, and drops it afterwards.
    static func withOwnerTable<T: Sendable>(
        _ prefix: String,
        columns: String,
        extraSQL: ((String) -> String)? = nil,
        _ body: (String) async throws -> T
    ) async throws -> T {
        let table = TestEnvironment.uniqueName(prefix)
        let owner = try ownerPool(poolSize: 1)
        // DDL text is assembled from a generated name and fixed column lists: no values involved.
        try await owner.withConnection { connection in
            try await connection.executeScript("CREATE TABLE \(table) (\(columns))")
            if let extraSQL { try await connection.executeScript(extraSQL(table)) }
        }
        do {
            let result = try await body(table)
            try await owner.execute("DROP TABLE \(identifier: table) CASCADE")
            await owner.shutdown()
            return result
        } catch {
            _ = try? await owner.execute("DROP TABLE \(identifier: table) CASCADE")
            await owner.shutdown()
            throw error
        }
    }
}

/// Captures log records so tests can check what was (not) logged.
final class RecordingLogHandler: LogHandler, Sendable {
    let records = Mutex<[String]>([])
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        let line = "\(event.message) \(event.metadata ?? [:])"
        records.withLock { $0.append(line) }
    }

    var text: String { records.withLock { $0.joined(separator: "\n") } }
}

/// Lets `count` tasks wait until all of them arrived.
actor Barrier {
    private let count: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) { self.count = count }

    func arriveAndWait() async {
        arrived += 1
        if arrived >= count {
            for continuation in waiting { continuation.resume() }
            waiting.removeAll()
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}

/// A counter shared by concurrent test tasks (escaping closures cannot capture an `Atomic` directly).
final class TestCounter: Sendable {
    private let atomic: Atomic<Int>
    private let highest = Atomic<Int>(0)

    init(_ value: Int = 0) { atomic = Atomic(value) }

    var value: Int { atomic.load(ordering: .relaxed) }
    /// The largest value the counter ever had.
    var maximum: Int { highest.load(ordering: .relaxed) }

    @discardableResult
    func increment() -> Int {
        let now = atomic.add(1, ordering: .relaxed).newValue
        var seen = highest.load(ordering: .relaxed)
        while now > seen {
            let (exchanged, original) = highest.compareExchange(expected: seen, desired: now, ordering: .relaxed)
            if exchanged { break }
            seen = original
        }
        return now
    }

    func decrement() {
        atomic.subtract(1, ordering: .relaxed)
    }
}
