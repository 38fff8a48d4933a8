import ERPRedis
import ERPTestSupport
import Logging

/// Builds pools for tests and always shuts them down, even when the test body throws.
enum TestPools {
    static let logger = Logger(label: "erp.redis.tests")

    /// A pool on the shared stack server (`REDIS_URL`).
    static func withSharedPool<T>(
        poolSize: Int = 4,
        commandTimeout: Duration = .seconds(2),
        logger: Logger = logger,
        _ body: (RedisPool) async throws -> T
    ) async throws -> T {
        let configuration = try RedisConfiguration(
            url: TestEnvironment.redisURL, poolSize: poolSize, commandTimeout: commandTimeout)
        return try await withPool(configuration, logger: logger, body)
    }

    static func withPool<T>(
        _ configuration: RedisConfiguration,
        logger: Logger = logger,
        _ body: (RedisPool) async throws -> T
    ) async throws -> T {
        let pool = RedisPool(configuration: configuration, logger: logger)
        do {
            let result = try await body(pool)
            await pool.shutdown()
            return result
        } catch {
            await pool.shutdown()
            throw error
        }
    }

    /// Runs `body` against a private `redis-server` that is removed afterwards.
    static func withPrivateServer<T>(
        extraArguments: [String] = [],
        _ body: (TemporaryRedisServer) async throws -> T
    ) async throws -> T {
        let server = try TemporaryRedisServer(extraArguments: extraArguments)
        defer { server.cleanup() }
        return try await body(server)
    }
}

extension RedisValue {
    /// A bulk string reply holding `text` as UTF-8.
    static func bulk(_ text: String) -> RedisValue { .bulkString(Array(text.utf8)) }
}
