/// Why a message was not accepted. Descriptions carry the server's reply text, never credentials.
struct SMTPError: Error, CustomStringConvertible, Sendable {
    enum Kind: Sendable, Equatable {
        /// The server answered with an error code.
        case rejected(code: Int)
        /// The server refused our credentials (535) or could not check them now (454).
        case authentication(code: Int)
        /// The connection failed, timed out or closed early.
        case connection
        /// The TLS handshake failed: the server's certificate is not trusted or not for its name.
        case tls
        /// The server cannot satisfy the configured security (no STARTTLS, no AUTH method).
        case unsupported
    }

    let kind: Kind
    let message: String

    /// Whether a later attempt may succeed (4xx and connection trouble). 5xx is final, and so is
    /// every security failure: wrong credentials, an untrusted certificate or a missing STARTTLS
    /// (which may be an attacker stripping it) need an operator, and retrying them only repeats
    /// the attempt against the same server.
    var isTransient: Bool {
        switch kind {
        case .rejected(let code), .authentication(let code): return code < 500
        case .connection: return true
        case .tls, .unsupported: return false
        }
    }

    /// The reply code, when the server gave one.
    var code: Int? {
        switch kind {
        case .rejected(let code), .authentication(let code): return code
        case .connection, .tls, .unsupported: return nil
        }
    }

    var description: String {
        switch kind {
        case .rejected(let code): return "SMTP \(code): \(message)"
        case .authentication(let code): return "SMTP authentication failed (\(code)): \(message)"
        case .connection: return "SMTP connection: \(message)"
        case .tls: return "SMTP TLS: \(message)"
        case .unsupported: return "SMTP: \(message)"
        }
    }
}
