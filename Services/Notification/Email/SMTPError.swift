/// Why a message was not accepted. Descriptions carry the server's reply text, never credentials.
struct SMTPError: Error, CustomStringConvertible, Sendable {
    enum Kind: Sendable, Equatable {
        /// The server answered with an error code.
        case rejected(code: Int)
        /// The connection failed, timed out or closed early.
        case connection
        /// The server cannot satisfy the configured security (no STARTTLS, no AUTH method).
        case unsupported
    }

    let kind: Kind
    let message: String

    /// Whether a later attempt may succeed (4xx and connection trouble); 5xx is final.
    var isTransient: Bool {
        switch kind {
        case .rejected(let code): return code < 500
        case .connection: return true
        case .unsupported: return false
        }
    }

    var description: String {
        switch kind {
        case .rejected(let code): return "SMTP \(code): \(message)"
        case .connection: return "SMTP connection: \(message)"
        case .unsupported: return "SMTP: \(message)"
        }
    }
}
