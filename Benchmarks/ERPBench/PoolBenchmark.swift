import ERPPostgres
import Foundation
import Logging
import ERPTestSupport

/// `SELECT` by primary key through our pool vs pgbench's built-in select-only script (`-S`) on
/// the same server, same table, same client count, in the same minute. pgbench runs before and
/// after ours and the reference is their mean.
struct PoolBenchmark {
    let clients = 8
    let seconds = 8
    let scale = 10

    var adminURL: String { ProcessInfo.processInfo.environment["POSTGRES_ADMIN_URL"] ?? "postgres://postgres@127.0.0.1:15432/postgres" }

    var benchURL: String {
        var components = URLComponents(string: adminURL)!
        components.path = "/erp_bench"
        return components.string!
    }

    func run() async throws {
        print("\n== Pool: SELECT by primary key (\(clients) clients, \(seconds) s each) ==")
        try await prepare()
        let before = try await pgbench()
        let ours = try await poolThroughput()
        let after = try await pgbench()
        let reference = (before + after) / 2
        print("pgbench -S -M extended  before: \(format(before, 0)) tps   after: \(format(after, 0)) tps")
        print("ERPPostgres pool               : \(format(ours, 0)) queries/s")
        print("ratio pool / pgbench           : \(format(ours / reference)) ×")
    }

    /// Creates the bench database and pgbench's tables once.
    private func prepare() async throws {
        let exists = try await shell(["psql", "-X", "-tA", adminURL, "-c", "SELECT 1 FROM pg_database WHERE datname = 'erp_bench'"])
        if exists.trimmingCharacters(in: .whitespacesAndNewlines) != "1" {
            try await shell(["psql", "-X", "-q", adminURL, "-c", "CREATE DATABASE erp_bench"])
            try await shell(["pgbench", "-i", "-q", "-s", "\(scale)", benchURL])
        }
    }

    private func pgbench() async throws -> Double {
        let output = try await shell(["pgbench", "-n", "-S", "-M", "extended", "-c", "\(clients)", "-j", "2", "-T", "\(seconds)", benchURL])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
            let value = Double(line.dropFirst(6).prefix { $0 == "." || $0.isNumber })
        else { throw BenchError("could not read pgbench output: \(output)") }
        return value
    }

    private func poolThroughput() async throws -> Double {
        let pool = PostgresPool(configuration: try PostgresConfiguration(url: benchURL, poolSize: clients), logger: Logger(label: "bench"))
        defer { Task { await pool.shutdown() } }
        let rows = scale * 100_000
        // Warm the connections before the clock starts, as pgbench does.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<clients { group.addTask { try await pool.query("SELECT 1") } }
            try await group.waitForAll()
        }
        let deadline = ContinuousClock.now + .seconds(seconds)
        let start = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        let aid = Int.random(in: 1...rows)
                        let result = try await pool.query("SELECT abalance FROM pgbench_accounts WHERE aid = \(aid)")
                        _ = try result.first?.decode(Int.self, at: 0)
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(total) / (ContinuousClock.now - start).milliseconds * 1000
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command to completion and returns its output (see `ProcessRunner` for why not `Process`).
@discardableResult
func shell(_ arguments: [String]) async throws -> String {
    try await ProcessRunner.runOffloaded(arguments)
}
