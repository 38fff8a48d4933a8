import Foundation

/// How to reach the mail server, parsed from `SMTP_URL`:
///
/// - `smtp://host:25` — plain SMTP; STARTTLS is used when the server offers it (`starttls=optional`).
/// - `smtp://user:pass@host:587?starttls=required` — STARTTLS or fail, then AUTH.
/// - `smtps://user:pass@host:465` — TLS from the first byte (implicit TLS).
///
/// Query parameters: `starttls=required|optional|never`, `auth=plain|login` (default: what the
/// server offers, PLAIN first), `tls_verify=false` (development only), `helo=<name>`,
/// `allow_insecure_auth=true` (credentials over an unencrypted connection; refused otherwise),
/// `timeout=<seconds>`. User and password are percent-decoded. The server's certificate is
/// verified against the system roots, or against `caFile` (`SMTP_CA_FILE`) when set.
struct SMTPConfiguration: Sendable, Equatable {
    enum Security: String, Sendable {
        /// Never upgrade (a local sink).
        case plain
        /// STARTTLS when offered.
        case startTLSOptional
        /// STARTTLS or refuse to send.
        case startTLSRequired
        /// TLS from the first byte (smtps, usually port 465).
        case implicitTLS
    }

    enum AuthMethod: String, Sendable {
        case plain = "PLAIN"
        case login = "LOGIN"
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    var host: String
    var port: Int
    var security: Security
    var username: String?
    var password: String?
    var authMethod: AuthMethod?
    var verifyCertificates = true
    /// PEM certificates trusted instead of the system roots (a private CA, a self-signed relay).
    var caFile: String?
    var heloName = "erp-notification.local"
    var allowInsecureAuth = false
    var timeout: Duration = .seconds(30)

    init(host: String, port: Int, security: Security = .plain) {
        self.host = host
        self.port = port
        self.security = security
    }

    init(url text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { throw Invalid(description: "SMTP_URL must look like smtp://user:pass@host:587?starttls=required") }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name.lowercased(), $0.value ?? "") }, uniquingKeysWith: { $1 })
        switch scheme {
        case "smtp":
            self.init(host: host, port: components.port ?? 25)
            switch query["starttls"]?.lowercased() ?? "optional" {
            case "required": security = .startTLSRequired
            case "optional": security = .startTLSOptional
            case "never": security = .plain
            default: throw Invalid(description: "SMTP_URL starttls must be required, optional or never")
            }
        case "smtps":
            self.init(host: host, port: components.port ?? 465, security: .implicitTLS)
        default:
            throw Invalid(description: "SMTP_URL must use smtp:// or smtps://")
        }
        username = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 }
        password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        if let method = query["auth"], !method.isEmpty {
            guard let parsed = AuthMethod(rawValue: method.uppercased()) else {
                throw Invalid(description: "SMTP_URL auth must be plain or login")
            }
            authMethod = parsed
        }
        if let verify = query["tls_verify"] { verifyCertificates = verify.lowercased() != "false" }
        if let helo = query["helo"], !helo.isEmpty { heloName = helo }
        if let insecure = query["allow_insecure_auth"] { allowInsecureAuth = insecure.lowercased() == "true" }
        if let seconds = query["timeout"].flatMap(Int.init), seconds > 0 { timeout = .seconds(seconds) }
    }
}
