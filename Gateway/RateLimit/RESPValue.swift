import NIOCore

/// A RESP2 reply from Redis.
enum RESPValue {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    case bulkString(ByteBuffer?)
    case array([RESPValue]?)

    var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    var string: String? {
        switch self {
        case .simpleString(let text): return text
        case .bulkString(let buffer?): return String(buffer: buffer)
        default: return nil
        }
    }
}
