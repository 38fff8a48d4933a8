import ERPProtocol
import Foundation

/// Collects every invalid field of a write, so one 422 names them all.
struct FieldValidator {
    private(set) var issues: [FieldIssue] = []

    mutating func add(_ issue: FieldIssue) {
        issues.append(issue)
    }

    /// Throws the collected issues as one `validation_failed` problem.
    func check() throws {
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
    }

    /// Trimmed text of at most `maximum` characters; empty becomes nil.
    mutating func text(_ value: String?, field: String, maximum: Int) -> String? {
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        if trimmed.count > maximum {
            add(.outOfRange(field, message: "At most \(maximum) characters."))
        }
        if trimmed.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }) {
            add(.invalid(field, message: "Control characters are not allowed."))
        }
        return trimmed
    }

    /// Required trimmed text of 1…`maximum` characters.
    mutating func requiredText(_ value: String?, field: String, maximum: Int) -> String {
        guard let text = text(value, field: field, maximum: maximum) else {
            add(.required(field))
            return ""
        }
        return text
    }

    /// A normalized (lowercase) email address, or nil when absent.
    mutating func email(_ value: String?, field: String = "email") -> String? {
        guard let text = text(value, field: field, maximum: 254) else { return nil }
        guard let normalized = Normalize.email(text) else {
            add(.invalid(field, message: "Not an email address."))
            return nil
        }
        return normalized
    }

    /// A normalized registrable domain (`acme.com`) from a domain or URL, or nil when absent.
    mutating func domain(_ value: String?, field: String = "domain") -> String? {
        guard let text = text(value, field: field, maximum: 253) else { return nil }
        guard let normalized = Normalize.domain(text) else {
            add(.invalid(field, message: "Not a domain name, e.g. acme.com."))
            return nil
        }
        return normalized
    }

    /// An http(s) URL, or nil when absent; a bare host (`acme.com/about`) gets `https://`.
    mutating func url(_ value: String?, field: String) -> String? {
        guard var text = text(value, field: field, maximum: 2048) else { return nil }
        if !text.contains("://"), Normalize.domain(text) != nil { text = "https://" + text }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            add(.invalid(field, message: "An http or https URL."))
            return nil
        }
        return text
    }

    /// Tags: trimmed, lowercased, unique, sorted; each 1–50 characters of letters, digits, space, `-`, `_`.
    mutating func tags(_ values: [String]?, field: String = "tags") -> [String] {
        guard let values else { return [] }
        if values.count > 50 { add(.outOfRange(field, message: "At most 50 tags.")) }
        var result = Set<String>()
        for (index, raw) in values.enumerated() {
            let tag = raw.trimmingCharacters(in: .whitespaces).lowercased()
            let allowed = tag.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == " " || $0 == "-" || $0 == "_" }
            guard (1...50).contains(tag.count), allowed else {
                add(.invalid("\(field).\(index)", message: "1–50 letters, digits, spaces, - or _."))
                continue
            }
            result.insert(tag)
        }
        return result.sorted()
    }

    /// An amount that is not negative.
    mutating func money(_ value: Money?, field: String) -> Money? {
        guard let value else { return nil }
        if value.amountMinor < 0 { add(.outOfRange("\(field).amountMinor", message: "Must not be negative.")) }
        return value
    }

    /// An integer in `range`.
    mutating func integer(_ value: Int?, field: String, range: ClosedRange<Int>) -> Int? {
        guard let value else { return nil }
        if !range.contains(value) { add(.outOfRange(field, message: "From \(range.lowerBound) to \(range.upperBound).")) }
        return value
    }

    /// An ISO 3166-1 alpha-2 country code, uppercased.
    mutating func country(_ value: String?, field: String) -> String? {
        guard let text = text(value, field: field, maximum: 2)?.uppercased() else { return nil }
        guard text.count == 2, text.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            add(.invalid(field, message: "A two-letter ISO 3166 country code, e.g. DE."))
            return nil
        }
        return text
    }
}

/// Canonical forms of the values duplicates are found by.
enum Normalize {
    /// Lowercase `local@domain` with a plausible domain; nil when it is not an address.
    static func email(_ text: String) -> String? {
        let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = lowered.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...64).contains(parts[0].count), !parts[0].contains(" "),
            let domain = domain(String(parts[1]), allowURL: false), domain == parts[1]
        else { return nil }
        return lowered
    }

    /// The host of a domain or URL, lowercased, without `www.`, port, path or trailing dot.
    static func domain(_ text: String, allowURL: Bool = true) -> String? {
        var host = text.trimmingCharacters(in: .whitespaces).lowercased()
        if allowURL {
            if let range = host.range(of: "://") { host = String(host[range.upperBound...]) }
            if let slash = host.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { host = String(host[..<slash]) }
            if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
            if let colon = host.firstIndex(of: ":") { host = String(host[..<colon]) }
            if host.hasPrefix("www.") { host.removeFirst(4) }
        }
        if host.hasSuffix(".") { host.removeLast() }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, host.count <= 253 else { return nil }
        for label in labels {
            guard (1...63).contains(label.count), label.first != "-", label.last != "-",
                label.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
            else { return nil }
        }
        return host
    }
}
