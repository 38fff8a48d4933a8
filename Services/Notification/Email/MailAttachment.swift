/// A file sent along with a mail (an invoice PDF, say), base64-encoded in its own MIME part.
struct MailAttachment: Sendable, Equatable {
    var filename: String
    var contentType: String
    var data: [UInt8]
}
