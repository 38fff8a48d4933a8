import CHiredis
import Foundation

/// One blocking hiredis connection, authenticated and on the configured database.
///
/// Every method blocks: call them only on the pool's `BlockingExecutor`, never on Swift's
/// cooperative pool. Any thrown error means the reply stream can no longer be trusted, so the
/// pool drops the connection (deinit closes the socket) instead of reusing it.
final class RedisConnection: @unchecked Sendable {  // the pool leases it to one caller at a time, so the context is never used concurrently
    private let context: UnsafeMutablePointer<redisContext>
    /// `host:port`, for error messages.
    let endpoint: String

    /// Connects with the connect timeout, sets the command timeout, then runs `AUTH` and `SELECT`
    /// when the configuration asks for them.
    init(configuration: RedisConfiguration) throws(RedisError) {
        let endpoint = "\(configuration.host):\(configuration.port)"
        guard
            let context = redisConnectWithTimeout(
                configuration.host, Int32(configuration.port), configuration.connectTimeout.asTimeval)
        else {
            throw RedisError(.connectionFailed, "cannot allocate a connection to \(endpoint)")
        }
        self.context = context
        self.endpoint = endpoint
        // From here on deinit frees the context, whichever way init fails.
        guard context.pointee.err == 0 else { throw failure("cannot connect to") }
        // Without a socket timeout a server that stops answering would hold an executor thread forever.
        guard redisSetTimeout(context, configuration.commandTimeout.asTimeval) == REDIS_OK else {
            throw failure("cannot set the timeout for")
        }
        // Keepalive lets the kernel notice a peer that vanished without closing (network partition),
        // so the idle check below sees the error. Best effort: a failure here is not worth a retry.
        _ = redisEnableKeepAlive(context)
        // hiredis does not open sockets close-on-exec; a child process (a test's redis-server, a
        // tool a service runs) would otherwise keep the connection open after we close it.
        _ = fcntl(context.pointee.fd, F_SETFD, FD_CLOEXEC)

        if let password = configuration.password {
            var argv: [RedisArgument] = ["AUTH"]
            if let username = configuration.username { argv.append(RedisArgument(username)) }
            argv.append(RedisArgument(password))
            if case .error(let message) = try command(argv) {
                throw RedisError(.connectionFailed, "authentication to \(endpoint) failed: \(message)")
            }
        }
        if configuration.database != 0 {
            if case .error(let message) = try command(["SELECT", RedisArgument(configuration.database)]) {
                throw RedisError(.connectionFailed, "cannot select database \(configuration.database) on \(endpoint): \(message)")
            }
        }
    }

    deinit {
        redisFree(context)
    }

    /// True when the connection must not be reused: hiredis recorded an error, or the socket
    /// is readable while no command is outstanding. RESP2 never sends unsolicited data, so a
    /// readable idle socket means the server closed it (restart, `CLIENT KILL`, idle timeout).
    /// Checking before use lets the first command after a Redis restart succeed.
    var isUnusable: Bool {
        if context.pointee.err != 0 { return true }
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) != 0
    }

    /// Sends one command and reads its reply. Error replies come back as `.error` values.
    func command(_ argv: [RedisArgument]) throws(RedisError) -> RedisValue {
        try pipeline([argv])[0]
    }

    /// Writes all commands, then reads one reply per command: a single round trip.
    /// Error replies come back as `.error` values in their position.
    func pipeline(_ commands: [[RedisArgument]]) throws(RedisError) -> [RedisValue] {
        for argv in commands {
            try append(argv)
        }
        var replies: [RedisValue] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            replies.append(try readReply())
        }
        return replies
    }

    /// Queues a command in hiredis's output buffer; nothing is written until a reply is read.
    private func append(_ argv: [RedisArgument]) throws(RedisError) {
        // One contiguous buffer keeps every argument's pointer valid for the whole call; the
        // trailing byte makes it non-empty, so there is a base address even if all arguments are.
        var buffer: [UInt8] = []
        buffer.reserveCapacity(argv.reduce(1) { $0 + $1.bytes.count })
        var lengths: [Int] = []
        lengths.reserveCapacity(argv.count)
        for argument in argv {
            buffer += argument.bytes
            lengths.append(argument.bytes.count)
        }
        buffer.append(0)

        let status = buffer.withUnsafeBytes { bytes in
            let base = bytes.baseAddress!.assumingMemoryBound(to: CChar.self)
            var pointers: [UnsafePointer<CChar>?] = []
            pointers.reserveCapacity(lengths.count)
            var offset = 0
            for length in lengths {
                pointers.append(base + offset)
                offset += length
            }
            return pointers.withUnsafeMutableBufferPointer { pointers in
                lengths.withUnsafeBufferPointer { lengths in
                    redisAppendCommandArgv(context, Int32(lengths.count), pointers.baseAddress, lengths.baseAddress)
                }
            }
        }
        guard status == REDIS_OK else { throw failure("cannot queue a command for") }
    }

    /// Flushes pending output and blocks (up to the command timeout) for the next reply.
    private func readReply() throws(RedisError) -> RedisValue {
        var raw: UnsafeMutableRawPointer?
        guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
            throw failure("lost the connection to")
        }
        defer { freeReplyObject(raw) }
        return try Self.value(of: raw.assumingMemoryBound(to: redisReply.self))
    }

    /// Copies a hiredis reply tree into Swift values.
    private static func value(of reply: UnsafeMutablePointer<redisReply>) throws(RedisError) -> RedisValue {
        let reply = reply.pointee
        switch reply.type {
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(reply.integer))
        case REDIS_REPLY_STRING:
            return .bulkString(Array(UnsafeRawBufferPointer(start: reply.str, count: reply.len)))
        case REDIS_REPLY_STATUS:
            return .simpleString(String(decoding: UnsafeRawBufferPointer(start: reply.str, count: reply.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: UnsafeRawBufferPointer(start: reply.str, count: reply.len), as: UTF8.self))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisValue] = []
            elements.reserveCapacity(reply.elements)
            for index in 0..<reply.elements {
                guard let element = reply.element[index] else {
                    throw RedisError(.protocolError, "array reply with a missing element")
                }
                elements.append(try value(of: element))
            }
            return .array(elements)
        default:
            throw RedisError(.protocolError, "unknown reply type \(reply.type)")
        }
    }

    /// Describes the error hiredis recorded on the context.
    private func failure(_ action: String) -> RedisError {
        let detail = withUnsafeBytes(of: context.pointee.errstr) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        let code: RedisError.Code
        switch context.pointee.err {
        // hiredis fills errstr with strerror(errno); a socket timeout shows up as EAGAIN (read or
        // write) or ETIMEDOUT (connect), and callers treat that differently from a refused connection.
        case REDIS_ERR_IO where Self.timeoutDescriptions.contains(detail): code = .timeout
        case REDIS_ERR_PROTOCOL: code = .protocolError
        default: code = .connectionFailed
        }
        return RedisError(code, "\(action) \(endpoint): \(detail.isEmpty ? "unknown error" : detail)")
    }

    private static let timeoutDescriptions: Set<String> = Set(
        [EAGAIN, EWOULDBLOCK, ETIMEDOUT].map { String(cString: strerror($0)) })
}
