import ERPProtocol

/// A syntactically plausible email address, kept as entered and compared case-insensitively.
/// Real validation is the verification mail; this only rejects what can never be delivered.
struct EmailAddress: Sendable, Hashable {
    let value: String

    var lowercased: String { value.lowercased() }

    init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard trimmed.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64,
            parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !trimmed.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "<" || $0 == ">" || $0 == "," })
        else { return nil }
        value = trimmed
    }

    /// Parses `text` or throws a 422 naming `field`.
    static func parse(_ text: String, field: String = "email") throws(ProblemDetails) -> EmailAddress {
        guard let address = EmailAddress(text) else {
            throw .validation([.invalid(field, message: "Enter a valid email address.")])
        }
        return address
    }
}
