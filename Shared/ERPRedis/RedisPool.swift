import ERPConcurrency
import Foundation
import Logging

/// A bounded pool of blocking hiredis connections.
///
/// - Every hiredis call runs on a dedicated `BlockingExecutor` with one thread per connection,
///   never on Swift's cooperative pool, and a caller holds its connection for one call only.
/// - Connections are opened lazily, with `connectTimeout`; `commandTimeout` bounds every read
///   and write. When all `poolSize` connections are busy, callers wait in FIFO order.
/// - A connection that fails (refused, reset, timed out) is dropped and the call throws; the next
///   call connects afresh, so the pool recovers by itself once Redis is back. An idle connection
///   the server closed is noticed at checkout and replaced before it is used.
/// - Logs are fixed messages with endpoint, command name and error in metadata; argument values
///   (often tokens) are never logged.
public final class RedisPool: Sendable {
    private let configuration: RedisConfiguration
    private let logger: Logger
    private let slots: ConnectionSlots
    private let executor: BlockingExecutor

    /// Creates the pool; no connection is opened until the first call.
    ///
    /// Also sets SIGPIPE to be ignored for the process: hiredis writes with `write(2)`, and writing
    /// to a socket the server has just closed would otherwise kill the process instead of
    /// surfacing as `.connectionFailed`.
    public init(configuration: RedisConfiguration, logger: Logger) {
        Self.ignoreBrokenPipe
        var logger = logger
        logger[metadataKey: "erp.redis.endpoint"] = "\(configuration.host):\(configuration.port)"
        self.configuration = configuration
        self.logger = logger
        self.slots = ConnectionSlots(capacity: configuration.poolSize)
        // One thread per connection: a leased connection always finds a thread, so the executor
        // never queues work behind a slow command.
        self.executor = BlockingExecutor(threadCount: configuration.poolSize, name: "redis")
    }

    /// Runs `command` with `arguments` and returns the reply.
    /// Throws `RedisError(.server)` with the server's text when the reply is an error.
    @discardableResult
    public func send(_ command: String, _ arguments: RedisArgument...) async throws -> RedisValue {
        try await send([RedisArgument(command)] + arguments)
    }

    /// Runs the command `argv` (`argv[0]` is its name) and returns the reply.
    /// Throws `RedisError(.server)` with the server's text when the reply is an error.
    @discardableResult
    public func send(_ argv: [RedisArgument]) async throws -> RedisValue {
        guard let name = argv.first else { throw RedisError(.protocolError, "a command needs a name") }
        let reply = try await withConnection(command: Self.commandName(name)) { connection in
            try connection.command(argv)
        }
        if case .error(let message) = reply { throw RedisError(.server, message) }
        return reply
    }

    /// Sends all `commands` in one round trip on one connection and returns their replies in
    /// order. Error replies are returned as `.error` values, so one failing command does not
    /// hide the others' results. Not a transaction: wrap in `MULTI`/`EXEC` for atomicity.
    public func pipeline(_ commands: [[RedisArgument]]) async throws -> [RedisValue] {
        guard !commands.isEmpty else { return [] }
        guard commands.allSatisfy({ !$0.isEmpty }) else {
            throw RedisError(.protocolError, "a command needs a name")
        }
        return try await withConnection(command: "pipeline") { connection in
            try connection.pipeline(commands)
        }
    }

    /// Runs `script` atomically with `EVALSHA`. If the server does not have it cached (after a
    /// restart, failover or `SCRIPT FLUSH`), it is sent once with `EVAL`, which also caches it,
    /// on the same connection. Throws `RedisError(.server)` on an error reply (including a
    /// runtime error raised by the script).
    public func evaluate(_ script: RedisScript, keys: [String], arguments: [RedisArgument]) async throws -> RedisValue {
        let tail = [RedisArgument(keys.count)] + keys.map { RedisArgument($0) } + arguments
        let logger = logger
        let reply = try await withConnection(command: "EVALSHA") { connection in
            let reply = try connection.command(["EVALSHA", RedisArgument(script.sha1)] + tail)
            guard case .error(let message) = reply, message.hasPrefix("NOSCRIPT") else { return reply }
            logger.debug("redis script not cached on the server, sending its source", metadata: ["erp.redis.script": "\(script.sha1)"])
            return try connection.command(["EVAL", RedisArgument(script.source)] + tail)
        }
        if case .error(let message) = reply { throw RedisError(.server, message) }
        return reply
    }

    /// Checks that the server answers (for readiness probes).
    public func ping() async throws {
        let reply = try await send("PING")
        guard reply == .simpleString("PONG") else {
            throw RedisError(.protocolError, "unexpected reply to PING")
        }
    }

    /// Fails waiting and future calls with `.poolClosed`, lets calls in progress finish, then
    /// closes every connection and stops the pool's threads.
    public func shutdown() async {
        await slots.close()
        executor.shutdown()
        logger.debug("redis pool shut down")
    }

    /// Leases a connection, runs `body` with it on the executor, and returns the connection to
    /// the pool, or drops it when anything failed.
    private func withConnection<Value: Sendable>(
        command: String,
        _ body: @escaping @Sendable (RedisConnection) throws -> Value
    ) async throws -> Value {
        let lease = try await slots.checkout()
        let configuration = configuration
        let logger = logger
        let result: Result<Value, Error>
        let kept: RedisConnection?
        do {
            (result, kept) = try await executor.run {
                Self.run(body, on: lease, command: command, configuration: configuration, logger: logger)
            }
        } catch {
            slots.checkin(nil)
            throw RedisError(.poolClosed, "the Redis pool is shut down")
        }
        slots.checkin(kept)
        return try result.get()
    }

    /// The blocking part of `withConnection`; returns the connection to keep, if any.
    private static func run<Value: Sendable>(
        _ body: (RedisConnection) throws -> Value,
        on lease: RedisConnection?,
        command: String,
        configuration: RedisConfiguration,
        logger: Logger
    ) -> (Result<Value, Error>, RedisConnection?) {
        let connection: RedisConnection
        if let idle = lease, !idle.isUnusable {
            connection = idle
        } else {
            if lease != nil { logger.info("redis connection was closed while idle, reconnecting") }
            do {
                connection = try RedisConnection(configuration: configuration)
                logger.debug("redis connection opened", metadata: ["erp.redis.database": "\(configuration.database)"])
            } catch {
                logger.warning("redis connection failed", metadata: ["erp.redis.error": "\(error)"])
                return (.failure(error), nil)
            }
        }
        do {
            return (.success(try body(connection)), connection)
        } catch {
            // After a failed read or write the reply stream is out of step; only a new connection is safe.
            logger.warning(
                "redis connection dropped after a failed command",
                metadata: ["erp.redis.command": "\(command)", "erp.redis.error": "\(error)"])
            return (.failure(error), nil)
        }
    }

    /// The command's name for log metadata: the first argument, upper-cased and capped, since a
    /// malformed argv could carry a value there.
    private static func commandName(_ argument: RedisArgument) -> String {
        let name = String(decoding: argument.bytes.prefix(24), as: UTF8.self).uppercased()
        return name.allSatisfy { $0.isLetter || $0 == "." || $0 == "_" || $0 == "-" } ? name : "?"
    }

    private static let ignoreBrokenPipe: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()
}
