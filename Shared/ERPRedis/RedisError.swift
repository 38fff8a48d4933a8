/// An error from ERPRedis.
///
/// Messages carry the server's error text or hiredis's connection error, plus host and port;
/// never a password. Compare `code` to branch: `error.code == .server`.
public struct RedisError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure happened.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Hashable, Sendable {
            case connectionFailed = "connection failed"
            case timeout = "timeout"
            case server = "server error"
            case protocolError = "protocol error"
            case invalidConfiguration = "invalid configuration"
            case poolClosed = "pool closed"
        }

        private let kind: Kind

        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// Connecting, authenticating or talking to the server failed; the connection was dropped
        /// and the next call opens a fresh one.
        public static let connectionFailed = Code(.connectionFailed)
        /// Connecting or waiting for a reply took longer than the configured timeout; the
        /// connection was dropped because its reply stream can no longer be trusted.
        public static let timeout = Code(.timeout)
        /// The server answered with an error reply (`message` is its text, e.g. `WRONGTYPE …`).
        public static let server = Code(.server)
        /// The reply was not what the command promises, or the command itself was malformed.
        public static let protocolError = Code(.protocolError)
        /// The URL or pool settings are unusable.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The pool was shut down.
        public static let poolClosed = Code(.poolClosed)

        public var description: String { kind.rawValue }
    }

    /// What kind of failure happened.
    public let code: Code
    /// Human-readable detail: the server's error text, or why the connection failed.
    public let message: String

    /// Creates an error; `message` must not contain secrets.
    public init(_ code: Code, _ message: String = "") {
        self.code = code
        self.message = message
    }

    /// Creates an error; `message` must not contain secrets.
    public init(code: Code, message: String) {
        self.init(code, message)
    }

    public var description: String { message.isEmpty ? "redis \(code)" : "redis \(code): \(message)" }
}
