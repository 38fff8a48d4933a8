import ERPProtocol
import Foundation
import Testing

@testable import NotificationService

@Suite("Notification: templates and MIME")
struct TemplateRendererTests {
    @Test("a template using a variable the event does not declare is refused, naming the field and the variable")
    func missingVariable() throws {
        let entry = try #require(NotificationCatalogue.entry(EventType.Subscription.paymentFailed.rawValue))
        let good = TemplateContent(subject: "{{amount.formatted}} for {{invoiceNumber}}", text: "{{#nextAttemptAt}}again {{nextAttemptAt}}{{/nextAttemptAt}}", html: "<b>{{recipientName}}</b>")
        #expect(TemplateRenderer.problems(in: good, declared: entry.sampleVariables).isEmpty)
        let bad = TemplateContent(subject: "{{invoiceNumbr}}", text: "{{amount.formated}}", html: "{{#items}}{{/items}")
        let issues = TemplateRenderer.problems(in: bad, declared: entry.sampleVariables)
        #expect(issues.map(\.field) == ["subject", "text", "html"])
        #expect(issues.first?.message.contains("invoiceNumbr") == true)
        #expect(issues.dropFirst().first?.message.contains("amount.formated") == true)
    }

    @Test("every built-in template renders with its sample data and passes its own check")
    func builtInTemplates() throws {
        for entry in NotificationCatalogue.entries.values {
            for (channel, content) in entry.templates {
                #expect(TemplateRenderer.problems(in: content, declared: entry.sampleVariables).isEmpty, "\(entry.eventType) \(channel)")
                let rendered = try TemplateRenderer.render(content, variables: entry.sampleVariables)
                #expect(!rendered.subject.isEmpty && !rendered.subject.contains("{{"))
            }
        }
    }

    @Test("HTML escapes values, text does not; money is formatted")
    func escaping() throws {
        let content = TemplateContent(subject: "{{name}}", text: "{{name}} {{amount.formatted}}", html: "<p>{{name}}</p>")
        let variables = TemplateVariables.make(
            payload: .object(["name": .string("A & <B>"), "amount": .object(["amountMinor": .integer(2900), "currency": .string("USD")])]),
            common: TemplateVariables.sampleCommon
        )
        let rendered = try TemplateRenderer.render(content, variables: variables)
        #expect(rendered.subject == "A & <B>")
        #expect(rendered.text == "A & <B> USD 29.00")
        #expect(rendered.html == "<p>A &amp; &lt;B&gt;</p>")
    }

    @Test("quoted-printable keeps lines under 77 characters and encodes UTF-8; attachments make multipart/mixed")
    func mime() {
        let long = String(repeating: "ä", count: 100)
        let encoded = QuotedPrintable.encode(long + "\nend ")
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(encoded.hasSuffix("end=20"))
        let message = MailMessage(
            from: MailAddress("a@example.com"), to: MailAddress("b@example.com", name: "Bé"), subject: "Invoice",
            text: "see attached", html: "<p>see attached</p>", attachments: [MailAttachment(filename: "invoice.pdf", contentType: "application/pdf", data: Array("%PDF-1.4".utf8))],
            messageID: "x@example.com", date: Date(timeIntervalSince1970: 0)
        )
        let rendered = MIMEWriter.render(message, boundarySeed: "seed")
        #expect(rendered.contains("Content-Type: multipart/mixed; boundary=\"mix_seed\""))
        #expect(rendered.contains("Content-Type: multipart/alternative; boundary=\"alt_seed\""))
        #expect(rendered.contains("Content-Disposition: attachment; filename=\"invoice.pdf\""))
        #expect(rendered.contains("JVBERi0xLjQ="))
        #expect(rendered.contains("To: =?UTF-8?B?QsOp?= <b@example.com>"))
        #expect(rendered.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        #expect(SMTPDotStuffing.stuff(".a\nb\n..c") == "..a\r\nb\r\n...c\r\n")
    }

    @Test("SMTP_URL parsing: STARTTLS, implicit TLS, credentials")
    func smtpURL() throws {
        let submission = try SMTPConfiguration(url: "smtp://us%40er:p%3Ass@mail.example.com:587?starttls=required&auth=login")
        #expect(submission.security == .startTLSRequired)
        #expect(submission.username == "us@er" && submission.password == "p:ss" && submission.authMethod == .login && submission.port == 587)
        let implicit = try SMTPConfiguration(url: "smtps://u:p@mail.example.com")
        #expect(implicit.security == .implicitTLS && implicit.port == 465)
        #expect(try SMTPConfiguration(url: "smtp://127.0.0.1:12525").security == .startTLSOptional)
        #expect(throws: SMTPConfiguration.Invalid.self) { try SMTPConfiguration(url: "http://x") }
    }
}
