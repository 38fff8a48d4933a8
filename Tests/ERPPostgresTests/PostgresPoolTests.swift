import ERPPostgres
import ERPTestSupport
import Foundation
import Testing

@Suite("PostgresPool bounds, waiting and shutdown")
struct PostgresPoolTests {
    @Test("five concurrent queries through a pool of two never hold more than two backends, and all finish")
    func boundedPool() async throws {
        let applicationName = TestEnvironment.uniqueName("bound")
        let pool = try PostgresTestDatabase.appPool(poolSize: 2, applicationName: applicationName)
        let admin = try PostgresTestDatabase.adminPool(onTestDatabase: false)
        let inside = TestCounter()
        let completed = TestCounter()
        let finished = TestCounter()

        async let backends: Int = {
            var most = 0
            while finished.value == 0 {
                let rows = try await admin.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = \(applicationName)")
                most = max(most, try rows[0].decode(Int.self, at: 0))
                try await Task.sleep(for: .milliseconds(20))
            }
            return most
        }()

        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    try await pool.withConnection { connection in
                        inside.increment()
                        try await connection.query("SELECT pg_sleep(0.2)")
                        inside.decrement()
                    }
                    completed.increment()
                }
            }
            try await group.waitForAll()
        }
        finished.increment()
        let mostBackends = try await backends
        #expect(completed.value == 5)
        #expect(inside.maximum == 2)
        #expect(mostBackends >= 1)
        #expect(mostBackends <= 2)
        await pool.shutdown()
        await admin.shutdown()
    }

    @Test("a caller that cannot get a connection in time fails with .poolTimeout")
    func checkoutTimeout() async throws {
        var configuration = try PostgresConfiguration(url: TestEnvironment.postgresURL, poolSize: 1)
        configuration.checkoutTimeout = .milliseconds(200)
        let pool = PostgresPool(configuration: configuration, logger: PostgresTestDatabase.quietLogger)
        let holding = Task {
            try await pool.withConnection { try await $0.query("SELECT pg_sleep(1)") }
        }
        try await Task.sleep(for: .milliseconds(100))
        // The holder keeps the only connection for 1 s; without the checkout timeout the ping would succeed after it.
        await #expect(throws: PostgresError(code: .poolTimeout, message: "")) {
            try await pool.ping()
        }
        _ = try await holding.value
        try await pool.ping()  // the connection came back
    }

    @Test("a waiting caller whose task is cancelled stops waiting")
    func cancelledWaiter() async throws {
        var configuration = try PostgresConfiguration(url: TestEnvironment.postgresURL, poolSize: 1)
        configuration.checkoutTimeout = .seconds(30)
        let pool = PostgresPool(configuration: configuration, logger: PostgresTestDatabase.quietLogger)
        let holding = Task { try await pool.withConnection { try await $0.query("SELECT pg_sleep(0.5)") } }
        try await Task.sleep(for: .milliseconds(100))
        let waiter = Task { try await pool.ping() }
        try await Task.sleep(for: .milliseconds(50))
        // Had cancellation not worked, the waiter would get the connection after the sleep and succeed.
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        _ = try await holding.value
        try await pool.ping()
    }

    @Test("shutdown fails waiters and refuses new work")
    func shutdown() async throws {
        let pool = try PostgresTestDatabase.appPool(poolSize: 1)
        try await pool.ping()
        let holding = Task { try await pool.withConnection { try await $0.query("SELECT pg_sleep(0.3)") } }
        try await Task.sleep(for: .milliseconds(100))
        let waiter = Task { try await pool.ping() }
        try await Task.sleep(for: .milliseconds(50))
        await pool.shutdown()
        await #expect(throws: PostgresError(code: .poolClosed, message: "")) { try await waiter.value }
        _ = try await holding.value  // work already lent out finishes
        await #expect(throws: PostgresError(code: .poolClosed, message: "")) { try await pool.ping() }
    }

    @Test("a connection cannot be used after its closure returned")
    func escapedConnection() async throws {
        let pool = try PostgresTestDatabase.appPool(poolSize: 1)
        let escaped = try await pool.withConnection { $0 }
        await #expect(throws: PostgresError.self) { try await escaped.query("SELECT 1") }
        try await pool.ping()
    }

    @Test("after the server restarts, the next query through the same pool succeeds")
    func recoversAfterRestart() async throws {
        let server = try await TemporaryPostgresServer.start()
        defer { server.stop() }
        let pool = try PostgresTestDatabase.pool(server.url, poolSize: 2)
        // Open both connections so both are idle (and stale) when the server goes away.
        let before = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    try await pool.query("SELECT pg_backend_pid(), pg_sleep(0.1)")[0].decode(Int.self, at: 0)
                }
            }
            return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
        }
        #expect(before.count == 2)

        try await server.restart()

        let after = try await pool.query("SELECT pg_backend_pid() AS pid, current_setting('TimeZone') AS tz")
        #expect(!before.contains(try after[0].decode(Int.self, named: "pid")))
        #expect(try after[0].decode(String.self, named: "tz") == "UTC")
        // Both stale connections are replaced as they come up, not just the first.
        for _ in 0..<3 { try await pool.ping() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 { group.addTask { try await pool.query("SELECT pg_sleep(0.05)") } }
            try await group.waitForAll()
        }
        await pool.shutdown()
    }
}
