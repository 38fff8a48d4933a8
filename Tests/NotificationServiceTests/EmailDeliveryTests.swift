import ERPProtocol
import ERPTestSupport
import Foundation
import Testing

@testable import NotificationService

@Suite("Notification: email through the real SMTP sink")
struct EmailDeliveryTests {
    @Test("an organization registered through auth's event gets the welcome mail (headers and body)")
    func welcomeMail() async throws {
        try await NotificationHarness.run { harness in
            let organization = try await harness.signUp()
            let delivered = try await harness.deliveries(organization.tenant)
            #expect(delivered.map(\.status) == [.sent], "\(delivered.map(\.lastError))")
            let mails = try await Maildir.await(organization.ownerEmail)
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            #expect(Maildir.decodeWords(Maildir.header("Subject", in: mail) ?? "") == "Welcome to ERP, Zoë Owner!")
            #expect(Maildir.decodeWords(Maildir.header("To", in: mail) ?? "") == "Zoë Owner <\(organization.ownerEmail)>"
                    || Maildir.header("To", in: mail)?.hasSuffix("<\(organization.ownerEmail)>") == true)
            #expect(Maildir.header("From", in: mail)?.contains("<no-reply@erp.local>") == true)
            #expect(Maildir.header("MIME-Version", in: mail) == "1.0")
            #expect(Maildir.header("Content-Type", in: mail)?.hasPrefix("multipart/alternative; boundary=") == true)
            #expect(Maildir.header("Message-ID", in: mail)?.hasSuffix("@erp.local>") == true)
            #expect(Maildir.header("Date", in: mail)?.hasSuffix("+0000") == true)
            #expect(Maildir.header("Auto-Submitted", in: mail) == "auto-generated")
            let body = Maildir.decodeQuotedPrintable(mail)
            #expect(body.contains("Content-Type: text/plain; charset=UTF-8"))
            #expect(body.contains("Content-Type: text/html; charset=UTF-8"))
            #expect(body.contains("your organization Ünïcode GmbH is ready"))
            #expect(body.contains("<strong>Ünïcode GmbH</strong>"))
            let deliveries = try await harness.deliveries(organization.tenant)
            #expect(deliveries.map(\.status) == [.sent])
            #expect(deliveries.first?.attempts == 1)
        }
    }

    @Test("the same event delivered twice yields one mail and one delivery")
    func duplicateEvent() async throws {
        try await NotificationHarness.run { harness in
            let (organization, event) = harness.organizationCreated()
            #expect(try await harness.deliver(event) == .handled)
            #expect(try await harness.deliver(event) == .duplicate)
            try await harness.sweep()
            #expect(try await harness.deliver(event) == .duplicate)
            try await harness.sweep()
            let mails = try await Maildir.await(organization.ownerEmail, count: 2, timeout: 1.5)
            #expect(mails.count == 1)
            let deliveries = try await harness.deliveries(organization.tenant)
            #expect(deliveries.map(\.status) == [.sent], "\(deliveries.map(\.lastError))")
        }
    }

    @Test("a dot at the start of a line survives SMTP (dot-stuffing) and long UTF-8 subjects are encoded")
    func dotStuffingAndLongSubject() async throws {
        try await NotificationHarness.run { harness in
            let address = NotificationHarness.uniqueEmail("dots")
            let subject = String(repeating: "Größenänderung ✓ ", count: 8)
            let message = MailMessage(
                from: MailAddress("no-reply@erp.local", name: "ERP"), to: MailAddress(address, name: "Dot Tester"), subject: subject,
                text: "first line\n.\n.hidden line\nlast", html: nil, messageID: "\(UUID().uuidString)@erp.local", date: Date()
            )
            let result = await SMTPClient(configuration: try #require(harness.dependencies.configuration.smtp), logger: harness.dependencies.logger).send([message])
            #expect(result.count == 1)
            if case .failure(let error) = result[0] { Issue.record("send failed: \(error)") }
            let mail = try #require(try await Maildir.await(address).first)
            #expect(Maildir.decodeWords(Maildir.header("Subject", in: mail) ?? "") == subject.trimmingCharacters(in: .whitespaces) || Maildir.decodeWords(Maildir.header("Subject", in: mail) ?? "") == subject)
            let body = Maildir.decodeQuotedPrintable(mail)
            #expect(body.contains("first line\r\n.\r\n.hidden line\r\nlast") || body.contains("first line\n.\n.hidden line\nlast"))
        }
    }
}
