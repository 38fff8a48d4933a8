import Foundation

/// Renders a `MailMessage` as RFC 5322 + MIME text with CRLF line ends: `multipart/alternative`
/// (text and HTML, quoted-printable) when there is HTML, wrapped in `multipart/mixed` with
/// base64 parts when there are attachments. Dot-stuffing is the SMTP layer's job.
enum MIMEWriter {
    static func render(_ message: MailMessage, boundarySeed: String = UUID().uuidString) -> String {
        var headers: [String] = [
            "From: \(message.from.headerValue)",
            "To: \(message.to.headerValue)",
            "Subject: \(EncodedWord.encode(message.subject))",
            "Date: \(rfc5322Date(message.date))",
            "Message-ID: <\(message.messageID)>",
            "MIME-Version: 1.0",
        ]
        for (name, value) in message.headers where isSafeHeader(name: name, value: value) {
            headers.append("\(name): \(value)")
        }
        let seed = boundarySeed.replacingOccurrences(of: "-", with: "")
        let body: (headers: [String], text: String)
        let content = alternative(message, boundary: "alt_\(seed)")
        if message.attachments.isEmpty {
            body = content
        } else {
            let boundary = "mix_\(seed)"
            var parts = [(content.headers + ["", content.text]).joined(separator: "\r\n")]
            for attachment in message.attachments {
                let name = EncodedWord.encode(attachment.filename).replacingOccurrences(of: "\"", with: "")
                parts.append([
                    "Content-Type: \(attachment.contentType); name=\"\(name)\"",
                    "Content-Transfer-Encoding: base64",
                    "Content-Disposition: attachment; filename=\"\(name)\"",
                    "",
                    Base64.encodeLines(attachment.data),
                ].joined(separator: "\r\n"))
            }
            body = (["Content-Type: multipart/mixed; boundary=\"\(boundary)\""], multipart(parts, boundary: boundary))
        }
        return (headers + body.headers + ["", body.text]).joined(separator: "\r\n") + "\r\n"
    }

    private static func alternative(_ message: MailMessage, boundary: String) -> (headers: [String], text: String) {
        let textPart = (headers: ["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"],
                        text: QuotedPrintable.encode(message.text))
        guard let html = message.html else { return textPart }
        let htmlPart = ["Content-Type: text/html; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable", "", QuotedPrintable.encode(html)]
        return (
            ["Content-Type: multipart/alternative; boundary=\"\(boundary)\""],
            multipart([(textPart.headers + ["", textPart.text]).joined(separator: "\r\n"), htmlPart.joined(separator: "\r\n")], boundary: boundary)
        )
    }

    private static func multipart(_ parts: [String], boundary: String) -> String {
        parts.map { "--\(boundary)\r\n\($0)\r\n" }.joined() + "--\(boundary)--"
    }

    /// Header names are tokens and values one printable ASCII line, so no value can add headers.
    private static func isSafeHeader(name: String, value: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && $0 != ":" }
            && value.unicodeScalars.allSatisfy { $0.value >= 32 && $0.value < 127 }
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
