import ERPRedis
import ERPTestSupport
import Foundation
import Synchronization
import Testing

/// Behaviour that needs a private server: restarts, connection counts, authentication.
@Suite("RedisPool connections and recovery")
struct RedisPoolRecoveryTests {
    @Test("calls fail fast with .connectionFailed while Redis is down and succeed through the same pool once it is back")
    func reconnectAfterRestart() async throws {
        try await TestPools.withPrivateServer { server in
            let configuration = try RedisConfiguration(url: server.url, poolSize: 2)
            try await TestPools.withPool(configuration) { pool in
                let key = TestEnvironment.uniqueName("k")
                try await pool.set(key, "before")

                try server.stop()
                for _ in 0..<3 {
                    // Refused, not timed out: the pool does not hang on a dead server.
                    let error = await #expect(throws: RedisError.self) { try await pool.ping() }
                    #expect(error?.code == .connectionFailed)
                }

                try server.start()
                // The very first call after the restart must succeed, not just a later one.
                try await pool.ping()
                try await pool.set(key, "after")
                let value: String? = try await pool.get(key)
                #expect(value == "after")
            }
        }
    }

    @Test("idle connections the server closed are replaced at checkout, so no call fails after a restart")
    func staleIdleConnectionsAreReplaced() async throws {
        try await TestPools.withPrivateServer { server in
            let configuration = try RedisConfiguration(url: server.url, poolSize: 3)
            try await TestPools.withPool(configuration) { pool in
                // Three simultaneous blocking calls force three open connections into the pool.
                try await Self.concurrently(3) { index in
                    try await pool.send("BLPOP", RedisArgument(TestEnvironment.uniqueName("idle\(index)")), "0.2")
                }
                #expect(try await Self.clientCount(pool) == 3)

                try server.stop()
                try server.start()

                // Every pooled connection is now dead; none of these may see the error.
                try await Self.concurrently(6) { _ in try await pool.ping() }
                #expect(try await pool.send("DBSIZE") == .integer(0))
            }
        }
    }

    @Test("with poolSize 2, four concurrent BLPOPs all complete on at most two connections")
    func poolIsBounded() async throws {
        try await TestPools.withPrivateServer { server in
            let configuration = try RedisConfiguration(url: server.url, poolSize: 2)
            let observerConfiguration = try RedisConfiguration(url: server.url, poolSize: 1)
            try await TestPools.withPool(observerConfiguration) { observer in
                try await observer.ping()
                try await TestPools.withPool(configuration) { pool in
                    let maxBlocked = Mutex(0)
                    let clock = ContinuousClock()
                    let start = clock.now
                    async let blpops: Void = Self.concurrently(4) { index in
                        let reply = try await pool.send("BLPOP", RedisArgument(TestEnvironment.uniqueName("bound\(index)")), "0.4")
                        #expect(reply == .null)
                    }
                    // Sample the server's view while the BLPOPs run.
                    for _ in 0..<12 {
                        let info = try await observer.send("INFO", "clients").string ?? ""
                        let blocked = Self.infoField("blocked_clients", in: info) ?? -1
                        maxBlocked.withLock { $0 = max($0, blocked) }
                        try await Task.sleep(for: .milliseconds(60))
                    }
                    try await blpops
                    let elapsed = clock.now - start

                    #expect(maxBlocked.withLock { $0 } == 2)
                    // Two waves of 0.4 s: the third and fourth call waited for a free connection.
                    #expect(elapsed >= .milliseconds(780))
                    // The pool's own connections plus the observer's one.
                    #expect(try await Self.clientCount(observer) == 3)
                }
            }
        }
    }

    @Test("waiting callers are served in arrival order")
    func waitersAreFIFO() async throws {
        try await TestPools.withSharedPool(poolSize: 1) { pool in
            let list = RedisArgument(TestEnvironment.uniqueName("fifo"))
            let holder = Task { try await pool.send("BLPOP", RedisArgument(TestEnvironment.uniqueName("hold")), "0.3") }
            try await Task.sleep(for: .milliseconds(50))
            var waiters: [Task<RedisValue, Error>] = []
            for index in 0..<5 {
                waiters.append(Task { try await pool.send("RPUSH", list, RedisArgument(index)) })
                try await Task.sleep(for: .milliseconds(20))
            }
            _ = try await holder.value
            for waiter in waiters { _ = try await waiter.value }
            let order = try await pool.send("LRANGE", list, 0, -1).array?.compactMap(\.string)
            #expect(order == ["0", "1", "2", "3", "4"])
            try await pool.send("DEL", list)
        }
    }

    @Test("a caller cancelled while waiting for a connection leaves promptly and the pool keeps working")
    func cancelledWaiter() async throws {
        try await TestPools.withSharedPool(poolSize: 1) { pool in
            let holder = Task { try await pool.send("BLPOP", RedisArgument(TestEnvironment.uniqueName("hold")), "0.5") }
            try await Task.sleep(for: .milliseconds(50))
            let waiter = Task { try await pool.ping() }
            try await Task.sleep(for: .milliseconds(50))
            // Had cancellation not worked, the waiter would get the connection after the BLPOP and succeed.
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            _ = try await holder.value
            try await pool.ping()
        }
    }

    @Test("AUTH with a password or ACL user and SELECT of the database happen on connect")
    func authenticationAndDatabase() async throws {
        let password = "pw-\(UUID().uuidString)"
        try await TestPools.withPrivateServer(extraArguments: ["--requirepass", password]) { server in
            let key = TestEnvironment.uniqueName("k")
            let db5 = try RedisConfiguration(url: "redis://:\(password)@127.0.0.1:\(server.port)/5", poolSize: 1)
            try await TestPools.withPool(db5) { pool in
                try await pool.set(key, "in five")
                let info = try await pool.send("CLIENT", "INFO").string ?? ""
                #expect(info.contains("db=5"))
                try await pool.send("ACL", "SETUSER", "app", "on", RedisArgument(">app-secret"), "~*", "+@all")
            }

            let db0 = try RedisConfiguration(url: "redis://:\(password)@127.0.0.1:\(server.port)", poolSize: 1)
            try await TestPools.withPool(db0) { pool in
                let value: String? = try await pool.get(key)
                #expect(value == nil)
            }

            let asUser = try RedisConfiguration(url: "redis://app:app-secret@127.0.0.1:\(server.port)/5", poolSize: 1)
            try await TestPools.withPool(asUser) { pool in
                let value: String? = try await pool.get(key)
                #expect(value == "in five")
                #expect(try await pool.send("ACL", "WHOAMI") == .bulk("app"))
            }

            let wrong = try RedisConfiguration(url: "redis://:not-\(password)@127.0.0.1:\(server.port)", poolSize: 1)
            let (logger, logs) = RecordingLogHandler.makeLogger()
            try await TestPools.withPool(wrong, logger: logger) { pool in
                let error = await #expect(throws: RedisError.self) { try await pool.ping() }
                #expect(error?.code == .connectionFailed)
                #expect(error.map { "\($0)".contains(password) } == false)
            }
            #expect(!logs.all.isEmpty)
            #expect(logs.all.allSatisfy { !$0.contains(password) })

            let unauthenticated = try RedisConfiguration(url: server.url, poolSize: 1)
            try await TestPools.withPool(unauthenticated) { pool in
                let error = await #expect(throws: RedisError.self) { try await pool.ping() }
                #expect(error?.code == .server)
                #expect(error?.message.hasPrefix("NOAUTH") == true)
            }
        }
    }

    @Test("logs carry no argument values or passwords, even when calls fail")
    func logsNeverCarryValues() async throws {
        let secret = "secret-\(UUID().uuidString)"
        let (logger, logs) = RecordingLogHandler.makeLogger()
        try await TestPools.withSharedPool(commandTimeout: .milliseconds(200), logger: logger) { pool in
            let key = TestEnvironment.uniqueName("tok")
            try await pool.set(key, secret, expiresIn: .seconds(5))
            _ = try? await pool.send("LPUSH", RedisArgument(key), RedisArgument(secret))
            _ = try? await pool.send([RedisArgument(secret), RedisArgument(secret)])  // unknown command named by a value
            _ = try? await pool.send("BLPOP", RedisArgument(secret), 3)  // times out and drops the connection
            _ = try await pool.pipeline([["GET", RedisArgument(key)], ["SET", RedisArgument(key), RedisArgument(secret)]])
            try await pool.delete(key)
        }
        let refusedPort = FreePort.find()
        let refused = try RedisConfiguration(url: "redis://user:\(secret)@127.0.0.1:\(refusedPort)", poolSize: 1)
        try await TestPools.withPool(refused, logger: logger) { pool in
            _ = try? await pool.ping()
        }
        let lines = logs.all
        #expect(lines.contains { $0.contains("redis connection failed") })
        #expect(lines.contains { $0.contains("redis connection dropped") })
        #expect(lines.allSatisfy { !$0.contains(secret) })
    }

    /// Runs `count` copies of `body` at once and waits for all.
    static func concurrently(_ count: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count { group.addTask { try await body(index) } }
            try await group.waitForAll()
        }
    }

    /// Connections the server sees (CLIENT LIST has one line per client).
    static func clientCount(_ pool: RedisPool) async throws -> Int {
        let list = try await pool.send("CLIENT", "LIST").string ?? ""
        return list.split(separator: "\n").filter { $0.contains("id=") }.count
    }

    static func infoField(_ name: String, in info: String) -> Int? {
        for line in info.split(whereSeparator: \.isNewline) where line.hasPrefix("\(name):") {
            return Int(line.dropFirst(name.count + 1))
        }
        return nil
    }
}
