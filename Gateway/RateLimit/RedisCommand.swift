import NIOCore

/// A command (already in RESP) waiting for its reply. Subclasses say what the reply means, so a
/// rate-limit check is one object rather than a command plus a chain of closures.
class RedisCommand {
    let encoded: ByteBuffer
    private(set) var isPending = true

    init(encoded: ByteBuffer) {
        self.encoded = encoded
    }

    /// Delivers the reply (or the failure) once; later calls do nothing (a command that timed
    /// out still gets its reply read off the connection).
    final func complete(_ result: Result<RESPValue, any Error>) {
        guard isPending else { return }
        isPending = false
        received(result)
    }

    /// What to do with the reply; runs once, on the connection's loop.
    func received(_ result: Result<RESPValue, any Error>) {}
}

/// A command whose reply goes to a closure (connection set-up, tests).
final class ClosureRedisCommand: RedisCommand {
    private var callback: ((Result<RESPValue, any Error>) -> Void)?

    init(encoded: ByteBuffer, callback: @escaping (Result<RESPValue, any Error>) -> Void) {
        self.callback = callback
        super.init(encoded: encoded)
    }

    override func received(_ result: Result<RESPValue, any Error>) {
        let callback = self.callback
        self.callback = nil
        callback?(result)
    }
}
