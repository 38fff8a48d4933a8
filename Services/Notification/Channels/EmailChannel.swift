import Foundation
import Logging

/// Sends email deliveries through the configured SMTP server.
struct EmailChannel: Sendable {
    let smtp: SMTPConfiguration?
    let from: MailAddress
    let logger: Logger

    func send(_ delivery: Delivery, recipientName: String?) async -> ChannelOutcome {
        guard let smtp else { return .failed("no SMTP server configured (SMTP_URL)") }
        let message = mail(for: delivery, recipientName: recipientName)
        guard message.to.isValid else { return .failed("invalid recipient address", permanent: true) }
        switch await SMTPClient(configuration: smtp, logger: logger).send([message]).first {
        case .success(let reply)?:
            return .sent(statusCode: 250, reference: String(reply.prefix(200)))
        case .failure(let error)?:
            return .failed(error.description, statusCode: error.code, permanent: !error.isTransient)
        case nil:
            return .failed("nothing sent")
        }
    }

    func mail(for delivery: Delivery, recipientName: String?) -> MailMessage {
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "erp.local"
        return MailMessage(
            from: from, to: MailAddress(delivery.target, name: recipientName), subject: delivery.message.subject,
            text: delivery.message.text, html: delivery.message.html,
            // Stable per delivery: a retried send after a lost reply is recognisable as the same mail.
            messageID: "\(delivery.id.uuidString.lowercased())@\(domain)", date: delivery.createdAt,
            headers: [("Auto-Submitted", "auto-generated"), ("X-ERP-Delivery-Id", delivery.id.uuidString.lowercased()),
                      ("X-ERP-Event-Type", delivery.eventType)]
        )
    }
}
