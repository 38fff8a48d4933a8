import Foundation

/// One mail as the service composes it; `MIMEWriter` turns it into RFC 5322 bytes.
struct MailMessage: Sendable, Equatable {
    var from: MailAddress
    var to: MailAddress
    var subject: String
    var text: String
    var html: String?
    var attachments: [MailAttachment] = []
    /// Without angle brackets, e.g. `3F2…@erp-notification`.
    var messageID: String
    var date: Date
    /// Extra headers (`X-ERP-Delivery-Id`, `Auto-Submitted`), ASCII values only.
    var headers: [(String, String)] = []

    static func == (lhs: MailMessage, rhs: MailMessage) -> Bool {
        lhs.from == rhs.from && lhs.to == rhs.to && lhs.subject == rhs.subject && lhs.text == rhs.text && lhs.html == rhs.html
            && lhs.attachments == rhs.attachments && lhs.messageID == rhs.messageID && lhs.date == rhs.date
            && lhs.headers.map { "\($0.0):\($0.1)" } == rhs.headers.map { "\($0.0):\($0.1)" }
    }
}
