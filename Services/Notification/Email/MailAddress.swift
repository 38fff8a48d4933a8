/// An address with an optional display name (which may be any Unicode).
struct MailAddress: Sendable, Equatable {
    var address: String
    var name: String?

    init(_ address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }

    /// Plausible enough to hand to a server: one `@`, no spaces, no angle brackets or line breaks
    /// (which would let a value inject SMTP commands or headers).
    var isValid: Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && address.utf8.count <= 254
            && !address.contains(where: { $0.isWhitespace || "<>\r\n,;\"".contains($0) })
    }

    /// `"Name" <address>` with the name RFC 2047-encoded when it is not plain ASCII.
    var headerValue: String {
        guard let name, !name.isEmpty else { return "<\(address)>" }
        return "\(EncodedWord.phrase(name)) <\(address)>"
    }
}
