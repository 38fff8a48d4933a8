import ERPTestSupport
import Foundation

@testable import NotificationService

#if canImport(Glibc)
import Glibc
#endif

/// A real SMTP server with TLS and AUTH for the client's security tests: Fixtures/smtp_test_server.py
/// (aiosmtpd) in a child process, with its own Maildir and a journal of every AUTH and MAIL it saw.
struct TLSMailServer: Sendable {
    enum Mode: String, Sendable {
        /// STARTTLS offered and required before AUTH and MAIL.
        case startTLS = "starttls"
        /// TLS from the first byte.
        case implicitTLS = "smtps"
        /// No TLS, but AUTH offered anyway: a client must not send it credentials.
        case plain
        /// No TLS and no AUTH: takes any mail.
        case open
    }

    static let user = "mailer"
    static let password = "correct horse battery"

    let port: Int
    let certificate: SelfSignedCertificate
    private let directory: URL

    /// Starts a server in `mode` (on `port`, or a free one) with a fresh self-signed certificate,
    /// runs `body`, stops it.
    static func run(_ mode: Mode, port: Int? = nil, _ body: (TLSMailServer) async throws -> Void) async throws {
        let certificate = try SelfSignedCertificate(commonName: "localhost")
        defer { certificate.remove() }
        let server = TLSMailServer(port: port ?? FreePort.find(), certificate: certificate, directory: certificate.directory)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/smtp_test_server.py").path
        let pid = try ProcessRunner.spawn(
            [
                "/usr/bin/python3", "-W", "ignore", script, "--mode", mode.rawValue, "--port", String(server.port),
                "--maildir", server.directory.appendingPathComponent("Maildir").path, "--journal", server.journalPath,
                "--user", user, "--password", password, "--cert", certificate.certificate, "--key", certificate.key,
            ],
            output: server.directory.appendingPathComponent("server.log").path
        )
        defer {
            kill(pid, SIGTERM)
            ProcessRunner.wait(for: pid)
        }
        let deadline = Date().addingTimeInterval(15)
        while !FreePort.isListening(server.port) {
            guard Date() < deadline else { throw StartFailure(log: server.log) }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await body(server)
    }

    struct StartFailure: Error, CustomStringConvertible {
        let log: String
        var description: String { "the test SMTP server did not start: \(log.suffix(2000))" }
    }

    /// The client's configuration for this server with the test credentials (`password` to try
    /// another), trusting its certificate (`SMTP_CA_FILE`). `query` as in `SMTP_URL`.
    func configuration(scheme: String = "smtp", query: String = "starttls=required", password: String = TLSMailServer.password) throws -> SMTPConfiguration {
        let secret = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
        var configuration = try SMTPConfiguration(url: "\(scheme)://\(Self.user):\(secret)@127.0.0.1:\(port)?\(query)&timeout=10")
        configuration.caFile = certificate.certificate
        return configuration
    }

    /// The mails it accepted, as files.
    var mails: [String] {
        let new = directory.appendingPathComponent("Maildir/new")
        let files = (try? FileManager.default.contentsOfDirectory(at: new, includingPropertiesForKeys: nil)) ?? []
        return files.compactMap { try? String(contentsOf: $0, encoding: .utf8) }
    }

    /// `AUTH <mechanism> <user> ok|refused` and `MAIL <address>` lines, in order.
    var journal: [String] {
        ((try? String(contentsOfFile: journalPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    var log: String { (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? "" }

    private var journalPath: String { directory.appendingPathComponent("journal.log").path }
}
