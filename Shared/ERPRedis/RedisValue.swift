/// A reply from the server (RESP2, which is what hiredis 0.14 speaks).
public enum RedisValue: Sendable, Hashable {
    /// A nil bulk string or nil array (`GET` of a missing key, a `BLPOP` that timed out).
    case null
    /// A status reply such as `OK` or `PONG`.
    case simpleString(String)
    /// An error reply. `send` and `evaluate` throw these as `RedisError(.server)`; they appear
    /// as values inside arrays and in `pipeline` results.
    case error(String)
    /// An integer reply.
    case integer(Int64)
    /// A bulk string: raw bytes, not necessarily UTF-8.
    case bulkString([UInt8])
    /// A multi-bulk reply; elements may be any value, nested arrays included.
    case array([RedisValue])

    /// The text of a status reply, or of a bulk string that is valid UTF-8; otherwise nil.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes): String(validating: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// An integer reply, or a status/bulk string holding a decimal integer (as `GET` returns a
    /// counter written by `INCR`); otherwise nil.
    public var int: Int64? {
        switch self {
        case .integer(let value): value
        case .simpleString, .bulkString: string.flatMap { Int64($0) }
        default: nil
        }
    }

    /// The elements of an array reply; nil for anything else (including `.null`).
    public var array: [RedisValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The bytes of a bulk string, or the UTF-8 bytes of a status reply; otherwise nil.
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes): bytes
        case .simpleString(let text): Array(text.utf8)
        default: nil
        }
    }

    /// True for `.null`.
    public var isNull: Bool { self == .null }
}
