import ERPRedis
import ERPTestSupport
import Foundation
import Testing

/// Commands, replies and errors against the shared stack server; every test uses its own keys.
@Suite("RedisPool commands")
struct RedisPoolCommandTests {
    @Test("SET/GET round-trips binary values: NUL, 0xff, CR LF, every byte value")
    func binarySafeValues() async throws {
        try await TestPools.withSharedPool { pool in
            let key = TestEnvironment.uniqueName("bin")
            let value: [UInt8] = [0x00, 0xFF, 0x0D, 0x0A, 0x41, 0x00, 0x0D, 0x0A] + (0...255).map { UInt8($0) }
            try await pool.set(key, value)
            let stored: [UInt8]? = try await pool.get(key)
            #expect(stored == value)

            // An empty argument is sent as an empty bulk string, which is not the same as a missing key.
            try await pool.send("SET", RedisArgument(key), RedisArgument(bytes: []))
            #expect(try await pool.send("GET", RedisArgument(key)) == .bulkString([]))
            #expect(try await pool.send("STRLEN", RedisArgument(key)) == .integer(0))

            try await pool.set(key, "grüße\r\nzwei")
            let text: String? = try await pool.get(key)
            #expect(text == "grüße\r\nzwei")
            try await pool.delete(key)
        }
    }

    @Test("a missing key reads as nil bulk; MGET mixes values and nils")
    func nilBulk() async throws {
        try await TestPools.withSharedPool { pool in
            let present = TestEnvironment.uniqueName("present")
            let missing = TestEnvironment.uniqueName("missing")
            #expect(try await pool.send("GET", RedisArgument(missing)) == .null)
            let bytes: [UInt8]? = try await pool.get(missing)
            #expect(bytes == nil)
            let text: String? = try await pool.get(missing)
            #expect(text == nil)

            try await pool.set(present, "here")
            let reply = try await pool.send("MGET", RedisArgument(present), RedisArgument(missing))
            #expect(reply == .array([.bulk("here"), .null]))
            try await pool.delete(present)
        }
    }

    @Test("set with expiresIn sets a TTL; expire reports whether the key existed; expired keys vanish")
    func expiry() async throws {
        try await TestPools.withSharedPool { pool in
            let key = TestEnvironment.uniqueName("ttl")
            try await pool.set(key, "v", expiresIn: .seconds(30))
            let ttl = try #require(try await pool.send("PTTL", RedisArgument(key)).int)
            // Well above anything a seconds-for-milliseconds mix-up gives, with room for a loaded machine.
            #expect(ttl > 10_000 && ttl <= 30_000)

            try await pool.set(key, "v")
            #expect(try await pool.send("PTTL", RedisArgument(key)) == .integer(-1))
            #expect(try await pool.expire(key, in: .milliseconds(1500)))
            let renewed = try #require(try await pool.send("PTTL", RedisArgument(key)).int)
            #expect(renewed > 0 && renewed <= 1500)
            #expect(try await pool.expire(TestEnvironment.uniqueName("none"), in: .seconds(5)) == false)

            try await pool.set(key, "short", expiresIn: .milliseconds(50))
            try await Task.sleep(for: .milliseconds(250))
            let gone: [UInt8]? = try await pool.get(key)
            #expect(gone == nil)
        }
    }

    @Test("INCR counts from a missing key; GET reads the counter back as an integer")
    func increment() async throws {
        try await TestPools.withSharedPool { pool in
            let key = TestEnvironment.uniqueName("incr")
            #expect(try await pool.increment(key) == 1)
            #expect(try await pool.increment(key) == 2)
            #expect(try await pool.send("GET", RedisArgument(key)).int == 2)
            let text: String? = try await pool.get(key)
            #expect(text == "2")
            try await pool.delete(key)
        }
    }

    @Test("DEL returns how many keys existed")
    func deleteCount() async throws {
        try await TestPools.withSharedPool { pool in
            let first = TestEnvironment.uniqueName("del")
            let second = TestEnvironment.uniqueName("del")
            try await pool.set(first, "1")
            try await pool.set(second, "2")
            #expect(try await pool.delete(first, second, TestEnvironment.uniqueName("absent")) == 2)
            #expect(try await pool.delete(first) == 0)
            #expect(try await pool.delete([]) == 0)
        }
    }

    @Test("nested arrays, integers, status, nil and error elements convert from a Lua table")
    func nestedArrays() async throws {
        try await TestPools.withSharedPool { pool in
            let script = """
                return {1, 'two', {3, {'four', false}}, redis.status_reply('OK'), redis.error_reply('MYERR inner'), {}}
                """
            let reply = try await pool.send("EVAL", RedisArgument(script), 0)
            #expect(
                reply
                    == .array([
                        .integer(1), .bulk("two"), .array([.integer(3), .array([.bulk("four"), .null])]),
                        .simpleString("OK"), .error("MYERR inner"), .array([]),
                    ]))
            #expect(reply.array?[2].array?[1].array?[0].string == "four")
        }
    }

    @Test("an error reply throws .server with the server's text")
    func serverError() async throws {
        try await TestPools.withSharedPool { pool in
            let key = TestEnvironment.uniqueName("wrongtype")
            try await pool.set(key, "text")
            let error = await #expect(throws: RedisError.self) {
                try await pool.send("LPUSH", RedisArgument(key), "x")
            }
            #expect(error?.code == .server)
            #expect(error?.message.hasPrefix("WRONGTYPE") == true)

            let unknown = await #expect(throws: RedisError.self) { try await pool.send("NOSUCHCOMMAND") }
            #expect(unknown?.code == .server)
            #expect(unknown?.message.hasPrefix("ERR unknown command") == true)

            // The connection stays usable after an error reply.
            try await pool.ping()
            try await pool.delete(key)
        }
    }

    @Test("a pipeline returns one reply per command, in order, with an error reply in place")
    func pipelineOrderAndErrors() async throws {
        try await TestPools.withSharedPool { pool in
            let key = TestEnvironment.uniqueName("pipe")
            let k = RedisArgument(key)
            let replies = try await pool.pipeline([
                ["SET", k, "1"],
                ["INCR", k],
                ["LPUSH", k, "x"],
                ["INCR", k],
                ["GET", k],
                ["PING"],
            ])
            #expect(replies.count == 6)
            #expect(replies[0] == .simpleString("OK"))
            #expect(replies[1] == .integer(2))
            guard case .error(let message) = replies[2] else {
                Issue.record("expected an error reply, got \(replies[2])")
                return
            }
            #expect(message.hasPrefix("WRONGTYPE"))
            #expect(replies[3] == .integer(3))
            #expect(replies[4] == .bulk("3"))
            #expect(replies[5] == .simpleString("PONG"))

            #expect(try await pool.pipeline([]) == [])
            try await pool.delete(key)
        }
    }

    @Test("a long pipeline keeps order")
    func longPipeline() async throws {
        try await TestPools.withSharedPool { pool in
            let key = RedisArgument(TestEnvironment.uniqueName("pipe"))
            let replies = try await pool.pipeline(Array(repeating: ["INCR", key], count: 500))
            #expect(replies == (1...500).map { RedisValue.integer(Int64($0)) })
            try await pool.send("DEL", key)
        }
    }

    @Test("a command slower than the command timeout fails with .timeout and the pool recovers")
    func commandTimeout() async throws {
        try await TestPools.withSharedPool(poolSize: 1, commandTimeout: .milliseconds(200)) { pool in
            // BLPOP would answer nil after 5 s; only the client-side timeout makes this throw.
            let error = await #expect(throws: RedisError.self) {
                try await pool.send("BLPOP", RedisArgument(TestEnvironment.uniqueName("never")), 5)
            }
            #expect(error?.code == .timeout)
            // The timed-out connection was dropped: the next call gets a fresh one, not a late BLPOP reply.
            try await pool.ping()
            #expect(try await pool.send("ECHO", "after") == .bulk("after"))
        }
    }

    @Test("200 concurrent INCRs give exactly 200")
    func concurrentIncrements() async throws {
        try await TestPools.withSharedPool(poolSize: 4) { pool in
            let key = TestEnvironment.uniqueName("concurrent")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<200 {
                    group.addTask { try await pool.increment(key) }
                }
                try await group.waitForAll()
            }
            #expect(try await pool.send("GET", RedisArgument(key)).int == 200)
            try await pool.delete(key)
        }
    }

    @Test("shutdown lets a running call finish, then refuses new calls with .poolClosed")
    func shutdown() async throws {
        let configuration = try RedisConfiguration(url: TestEnvironment.redisURL, poolSize: 1)
        let pool = RedisPool(configuration: configuration, logger: TestPools.logger)
        let blocked = Task {
            try await pool.send("BLPOP", RedisArgument(TestEnvironment.uniqueName("shutdown")), "0.3")
        }
        try await Task.sleep(for: .milliseconds(100))
        await pool.shutdown()
        #expect(try await blocked.value == .null)
        let error = await #expect(throws: RedisError.self) { try await pool.ping() }
        #expect(error?.code == .poolClosed)
    }
}
