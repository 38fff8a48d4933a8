/// Typed shortcuts for the commands services use most.
extension RedisPool {
    /// `GET`: the value's bytes, or nil when the key does not exist.
    public func get(_ key: String) async throws -> [UInt8]? {
        try await send("GET", RedisArgument(key)).bytes
    }

    /// `GET`: the value as UTF-8 text, or nil when the key does not exist.
    /// Throws `.protocolError` if the value is not valid UTF-8. Chosen only when the call site
    /// asks for `String?`; an unannotated `get` returns bytes.
    @_disfavoredOverload
    public func get(_ key: String) async throws -> String? {
        guard let bytes: [UInt8] = try await get(key) else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RedisError(.protocolError, "the value is not UTF-8 text")
        }
        return text
    }

    /// `SET`, with `PX` when `expiresIn` is given (rounded up to whole milliseconds).
    public func set(_ key: String, _ value: RedisArgument, expiresIn: Duration? = nil) async throws {
        var argv: [RedisArgument] = ["SET", RedisArgument(key), value]
        if let expiresIn {
            argv += ["PX", RedisArgument(expiresIn.roundedUpMilliseconds)]
        }
        try await send(argv)
    }

    /// `SET` of UTF-8 text, with `PX` when `expiresIn` is given.
    public func set(_ key: String, _ value: String, expiresIn: Duration? = nil) async throws {
        try await set(key, RedisArgument(value), expiresIn: expiresIn)
    }

    /// `SET` of raw bytes, with `PX` when `expiresIn` is given.
    public func set(_ key: String, _ value: [UInt8], expiresIn: Duration? = nil) async throws {
        try await set(key, RedisArgument(bytes: value), expiresIn: expiresIn)
    }

    /// `DEL`: how many of `keys` existed and were removed.
    @discardableResult
    public func delete(_ keys: String...) async throws -> Int {
        try await delete(keys)
    }

    /// `DEL`: how many of `keys` existed and were removed.
    @discardableResult
    public func delete(_ keys: [String]) async throws -> Int {
        // DEL without keys is a syntax error; deleting nothing is simply zero.
        guard !keys.isEmpty else { return 0 }
        let reply = try await send(["DEL"] + keys.map { RedisArgument($0) })
        return Int(try Self.integer(reply, "DEL"))
    }

    /// `INCR`: the value after incrementing (a missing key counts as 0).
    @discardableResult
    public func increment(_ key: String) async throws -> Int64 {
        try Self.integer(await send("INCR", RedisArgument(key)), "INCR")
    }

    /// `PEXPIRE` (rounded up to whole milliseconds): false when the key does not exist.
    @discardableResult
    public func expire(_ key: String, in duration: Duration) async throws -> Bool {
        try Self.integer(await send("PEXPIRE", RedisArgument(key), RedisArgument(duration.roundedUpMilliseconds)), "PEXPIRE") == 1
    }

    private static func integer(_ reply: RedisValue, _ command: String) throws -> Int64 {
        guard case .integer(let value) = reply else {
            throw RedisError(.protocolError, "\(command) did not return an integer")
        }
        return value
    }
}
