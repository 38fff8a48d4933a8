import ERPProtocol
import ERPTestSupport
import Foundation
import Logging
import Testing

@testable import NotificationService

/// The SMTP client against a real server that does TLS and AUTH (aiosmtpd, see `TLSMailServer`):
/// what it must deliver, and what it must refuse to send.
@Suite("Notification: SMTP with STARTTLS, implicit TLS and AUTH")
struct SMTPSecurityTests {
    static let logger = Logger(label: "smtp-security-test")

    static func message(to address: String) -> MailMessage {
        MailMessage(
            from: MailAddress("no-reply@erp.local", name: "ERP"), to: MailAddress(address, name: nil), subject: "TLS check",
            text: "sent over TLS", html: nil, messageID: "\(UUID().uuidString)@erp.local", date: Date()
        )
    }

    static func send(_ configuration: SMTPConfiguration, to address: String) async -> Result<String, SMTPError> {
        let results = await SMTPClient(configuration: configuration, logger: logger).send([message(to: address)])
        return results.first ?? .failure(SMTPError(kind: .connection, message: "no result"))
    }

    @Test("STARTTLS, then AUTH PLAIN or LOGIN: the mail lands in the server's Maildir", arguments: ["plain", "login"])
    func startTLSAndAuthenticate(method: String) async throws {
        try await TLSMailServer.run(.startTLS) { server in
            let address = NotificationHarness.uniqueEmail("starttls")
            let result = await Self.send(try server.configuration(query: "starttls=required&auth=\(method)"), to: address)
            if case .failure(let error) = result { Issue.record("send failed: \(error) — \(server.log.suffix(500))") }
            #expect(server.journal == ["AUTH \(method.uppercased()) \(TLSMailServer.user) ok", "MAIL no-reply@erp.local"])
            #expect(server.mails.count == 1)
            #expect(server.mails.first?.contains("To: <\(address)>") == true || server.mails.first?.contains(address) == true)
        }
    }

    @Test("smtps:// (TLS from the first byte) with AUTH delivers")
    func implicitTLS() async throws {
        try await TLSMailServer.run(.implicitTLS) { server in
            let result = await Self.send(try server.configuration(scheme: "smtps", query: "auth=plain"), to: NotificationHarness.uniqueEmail("smtps"))
            if case .failure(let error) = result { Issue.record("send failed: \(error) — \(server.log.suffix(500))") }
            #expect(server.journal == ["AUTH PLAIN \(TLSMailServer.user) ok", "MAIL no-reply@erp.local"])
            #expect(server.mails.count == 1)
        }
    }

    @Test("a wrong password is an authentication failure: the delivery is dead after one attempt, nothing sent")
    func wrongPassword() async throws {
        try await TLSMailServer.run(.startTLS) { server in
            let result = await Self.send(try server.configuration(password: "wrong"), to: NotificationHarness.uniqueEmail("wrong"))
            guard case .failure(let error) = result else { Issue.record("a wrong password was accepted"); return }
            #expect(error.kind == .authentication(code: 535))
            #expect(!error.isTransient)
            #expect(!error.description.contains("wrong"))

            // Through the service: permanent, so no retry is scheduled.
            let smtp = try server.configuration(password: "wrong")
            try await NotificationHarness.run(configure: { $0.smtp = smtp }) { harness in
                let organization = try await harness.signUp()
                let deliveries = try await harness.deliveries(organization.tenant)
                #expect(deliveries.map(\.status) == [.failed])
                #expect(deliveries.first?.attempts == 1)
                #expect(deliveries.first?.nextAttemptAt == nil)
                #expect(deliveries.first?.lastError?.hasPrefix("SMTP authentication failed (535)") == true, "\(deliveries.first?.lastError ?? "-")")
            }
            #expect(server.journal.allSatisfy { $0.hasPrefix("AUTH ") && $0.hasSuffix(" refused") })
            #expect(server.mails.isEmpty)
        }
    }

    @Test("a certificate the client does not trust fails the handshake: no credentials, no mail", arguments: ["smtp", "smtps"])
    func untrustedCertificate(scheme: String) async throws {
        try await TLSMailServer.run(scheme == "smtp" ? .startTLS : .implicitTLS) { server in
            var configuration = try server.configuration(scheme: scheme, query: scheme == "smtp" ? "starttls=required" : "auth=plain")
            configuration.caFile = nil  // the system roots, which do not vouch for a self-signed certificate
            let result = await Self.send(configuration, to: NotificationHarness.uniqueEmail("untrusted"))
            guard case .failure(let error) = result else { Issue.record("sent to an untrusted server"); return }
            #expect(error.kind == .tls, "\(error)")
            #expect(!error.isTransient)
            #expect(server.journal.isEmpty)
            #expect(server.mails.isEmpty)
        }
    }

    @Test("starttls=required against a server without STARTTLS (the stack's sink) is refused before AUTH and MAIL")
    func startTLSRequiredAgainstPlainSink() async throws {
        let sink = try SMTPConfiguration(url: TestEnvironment.smtpURL)
        let configuration = try SMTPConfiguration(url: "smtp://\(TLSMailServer.user):secret@\(sink.host):\(sink.port)?starttls=required")
        let address = NotificationHarness.uniqueEmail("nostarttls")
        let result = await Self.send(configuration, to: address)
        guard case .failure(let error) = result else { Issue.record("sent without STARTTLS"); return }
        #expect(error.kind == .unsupported)
        #expect(!error.isTransient)
        #expect(try await Maildir.await(address, timeout: 0.5).isEmpty)
    }

    @Test("a server that offers AUTH but no TLS never sees the credentials or the mail, STARTTLS required or optional",
          arguments: ["starttls=required", "starttls=optional"])
    func noCredentialsWithoutTLS(query: String) async throws {
        try await TLSMailServer.run(.plain) { server in
            let result = await Self.send(try server.configuration(query: query), to: NotificationHarness.uniqueEmail("plain"))
            guard case .failure(let error) = result else { Issue.record("sent without TLS"); return }
            #expect(error.kind == .unsupported, "\(error)")
            #expect(server.journal.isEmpty)
            #expect(server.mails.isEmpty)
        }
    }
}
