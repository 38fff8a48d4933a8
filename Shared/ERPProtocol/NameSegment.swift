/// The one rule for dot-separated name segments (event types, permissions): lowercase ASCII
/// letters, digits and single underscores, starting with a letter, not ending with `_`.
/// One rule everywhere means a segment is safe in topic names, metric labels and SQL enums;
/// services use it for their own codes too (plan codes, for one).
public enum NameSegment {
    /// Whether `segment` follows the rule.
    public static func isValid(_ segment: String) -> Bool {
        isValid(Substring(segment))
    }

    /// Whether `segment` follows the rule.
    public static func isValid(_ segment: Substring) -> Bool {
        guard let first = segment.utf8.first, let last = segment.utf8.last,
            first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z"), last != UInt8(ascii: "_")
        else { return false }
        var previous: UInt8 = 0
        for byte in segment.utf8 {
            let isLower = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            let isUnderscore = byte == UInt8(ascii: "_")
            guard isLower || isDigit || isUnderscore else { return false }
            if isUnderscore && previous == UInt8(ascii: "_") { return false }
            previous = byte
        }
        return true
    }
}
