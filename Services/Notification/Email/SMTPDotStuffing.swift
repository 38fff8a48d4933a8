/// RFC 5321 §4.5.2: in DATA, a line starting with "." gets a second "." so the server does not
/// read it as the end of the message. The result ends with CRLF.
enum SMTPDotStuffing {
    static func stuff(_ text: String) -> String {
        var lines = QuotedPrintable.normalizedLines(text)
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n") + "\r\n"
    }
}
