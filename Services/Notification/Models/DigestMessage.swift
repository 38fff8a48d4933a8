import ERPServiceKit

/// One mail made of several held ones (a recipient's daily digest): each message's subject as a
/// heading over its body, oldest first. A single message goes out as it was.
enum DigestMessage {
    static func compose(_ messages: [RenderedMessage]) -> RenderedMessage {
        guard messages.count > 1 else { return messages.first ?? RenderedMessage(subject: "", text: "", html: nil) }
        let subject = "Your ERP digest: \(messages.count) notifications"
        let text = messages.map { "\($0.subject)\n\(String(repeating: "-", count: min(72, $0.subject.count)))\n\n\($0.text)" }
            .joined(separator: "\n\n\n")
        let html = messages.map { message in
            // A message without HTML keeps its line breaks; its text is escaped like the subject.
            "<h2>\(message.subject.htmlEscaped)</h2>\n" + (message.html ?? "<pre>\(message.text.htmlEscaped)</pre>")
        }.joined(separator: "\n<hr>\n")
        return RenderedMessage(subject: subject, text: text, html: html)
    }
}
