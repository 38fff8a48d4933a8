import ERPRedis
import ERPTestSupport
import Foundation
import Testing

@Suite("RedisScript and evaluate")
struct RedisScriptTests {
    /// A fixed-window limiter: allows `ARGV[1]` hits per key, window `ARGV[2]` ms.
    /// Returns {allowed (1/0), remaining}.
    static let limiter = RedisScript(
        """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        local limit = tonumber(ARGV[1])
        if current >= limit then return {0, 0} end
        current = redis.call('INCR', KEYS[1])
        if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return {1, limit - current}
        """)

    @Test("SHA-1 matches the FIPS 180 vectors")
    func sha1Vectors() {
        #expect(RedisScript("").sha1 == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(RedisScript("abc").sha1 == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            RedisScript("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").sha1
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        // 55 and 56 bytes straddle the padding boundary (the length no longer fits the block).
        #expect(RedisScript(String(repeating: "a", count: 55)).sha1 == "c1c8bbdc22796e28c0e15163d20899b65621d65a")
        #expect(RedisScript(String(repeating: "a", count: 56)).sha1 == "c2db330f6083854c99d4b5bfb6e8f29f201be699")
        #expect(RedisScript(String(repeating: "a", count: 1_000_000)).sha1 == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test("the local digest is the name Redis gives the script")
    func sha1MatchesServer() async throws {
        try await TestPools.withSharedPool { pool in
            let script = RedisScript("return 'grüße \(TestEnvironment.uniqueName("s"))'")
            let loaded = try await pool.send("SCRIPT", "LOAD", RedisArgument(script.source))
            #expect(loaded.string == script.sha1)
            #expect(try await pool.send("SCRIPT", "LOAD", RedisArgument(Self.limiter.source)).string == Self.limiter.sha1)
        }
    }

    @Test("a limiter script allows exactly the limit and reports what remains")
    func limiterSequence() async throws {
        try await TestPools.withSharedPool { pool in
            let key = TestEnvironment.uniqueName("limit")
            var results: [[Int64]] = []
            for _ in 0..<5 {
                let reply = try await pool.evaluate(Self.limiter, keys: [key], arguments: [3, 60_000])
                results.append(reply.array?.compactMap { $0.int } ?? [])
            }
            #expect(results == [[1, 2], [1, 1], [1, 0], [0, 0], [0, 0]])
            let ttl = try #require(try await pool.send("PTTL", RedisArgument(key)).int)
            #expect(ttl > 0 && ttl <= 60_000)
            try await pool.delete(key)
        }
    }

    @Test("the script is atomic: 40 concurrent hits on a limit of 10 allow exactly 10")
    func limiterIsAtomic() async throws {
        try await TestPools.withSharedPool(poolSize: 4) { pool in
            let key = TestEnvironment.uniqueName("limit")
            let allowed = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await pool.evaluate(Self.limiter, keys: [key], arguments: [10, 60_000]).array?.first?.int ?? -1
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(allowed == 10)
            try await pool.delete(key)
        }
    }

    @Test("a script runtime error surfaces as .server")
    func scriptError() async throws {
        try await TestPools.withSharedPool { pool in
            let failing = RedisScript("return redis.call('INCR', KEYS[1], 'extra')")
            let error = await #expect(throws: RedisError.self) {
                try await pool.evaluate(failing, keys: [TestEnvironment.uniqueName("bad")], arguments: [])
            }
            #expect(error?.code == .server)
            #expect(error?.message.contains("Wrong number of args") == true)
        }
    }

    @Test("after SCRIPT FLUSH (private server) evaluate falls back to the source and caches it again")
    func noscriptFallback() async throws {
        try await TestPools.withPrivateServer { server in
            let configuration = try RedisConfiguration(url: server.url, poolSize: 2)
            try await TestPools.withPool(configuration) { pool in
                let key = TestEnvironment.uniqueName("limit")
                let sha = RedisArgument(Self.limiter.sha1)
                // Never loaded on this fresh server: the very first call already needs the fallback.
                #expect(try await pool.send("SCRIPT", "EXISTS", sha) == .array([.integer(0)]))
                #expect(try await pool.evaluate(Self.limiter, keys: [key], arguments: [5, 60_000]) == .array([.integer(1), .integer(4)]))
                #expect(try await pool.send("SCRIPT", "EXISTS", sha) == .array([.integer(1)]))

                try await pool.send("SCRIPT", "FLUSH")
                #expect(try await pool.send("SCRIPT", "EXISTS", sha) == .array([.integer(0)]))
                #expect(try await pool.evaluate(Self.limiter, keys: [key], arguments: [5, 60_000]) == .array([.integer(1), .integer(3)]))
                #expect(try await pool.send("SCRIPT", "EXISTS", sha) == .array([.integer(1)]))
            }
        }
    }
}
