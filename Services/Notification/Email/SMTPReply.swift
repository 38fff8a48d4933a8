/// One (possibly multi-line) server reply: `250-first` … `250 last`.
struct SMTPReply: Sendable, Equatable {
    let code: Int
    let lines: [String]

    var isPositive: Bool { (200..<400).contains(code) }
    /// 4xx: try again later; 5xx: this message will never go through as it is.
    var isTransient: Bool { (400..<500).contains(code) }
    var text: String { lines.joined(separator: " ") }

    /// The EHLO keywords (`STARTTLS`, `AUTH PLAIN LOGIN`, `8BITMIME` …), upper-cased.
    var extensions: [String] { lines.dropFirst().map { $0.uppercased() } }
}
