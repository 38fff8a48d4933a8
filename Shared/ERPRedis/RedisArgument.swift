/// One element of a command's argv: raw bytes, sent binary safe (no format strings, no quoting).
///
/// `description` shows only the length, because arguments often are tokens or passwords and an
/// interpolated argv must not leak them into logs.
public struct RedisArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    CustomStringConvertible, CustomDebugStringConvertible
{
    /// The bytes sent to the server.
    public let bytes: [UInt8]

    /// The UTF-8 bytes of `string`.
    public init(_ string: String) {
        self.bytes = Array(string.utf8)
    }

    /// Raw bytes, sent as they are (may contain NUL, CR, LF, anything).
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The decimal representation, which is how Redis expects integers in commands.
    public init(_ int: Int) {
        self.bytes = Array(String(int).utf8)
    }

    /// The decimal representation, which is how Redis expects integers in commands.
    public init(_ int: Int64) {
        self.bytes = Array(String(int).utf8)
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public init(integerLiteral value: Int) {
        self.init(value)
    }

    public var description: String { "<\(bytes.count) bytes>" }
    public var debugDescription: String { description }
}
