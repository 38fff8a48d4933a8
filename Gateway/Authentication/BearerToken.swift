/// The token of an `Authorization: Bearer …` header, read byte by byte: Foundation's trimming
/// bridged the whole token through UTF-16 and cost ~15 % of the gateway's CPU per request.
enum BearerToken {
    /// Whether an `Authorization` value starts with `Bearer ` (any case).
    static func hasBearerScheme(_ value: String) -> Bool {
        let utf8 = value.utf8
        guard utf8.count > 7 else { return false }
        // ASCII letters: `| 0x20` lowercases; the space stays a space.
        return zip(utf8, "bearer ".utf8).allSatisfy { $0 | 0x20 == $1 }
    }

    /// The token of an `Authorization` value, without surrounding blanks; nil for another scheme.
    static func extract(_ value: String) -> String? {
        guard hasBearerScheme(value) else { return nil }
        let utf8 = value.utf8
        var index = utf8.index(utf8.startIndex, offsetBy: 7)
        var end = utf8.endIndex
        while index < end, utf8[index] == UInt8(ascii: " ") || utf8[index] == UInt8(ascii: "\t") { utf8.formIndex(after: &index) }
        while end > index {
            let before = utf8.index(before: end)
            guard utf8[before] == UInt8(ascii: " ") || utf8[before] == UInt8(ascii: "\t") else { break }
            end = before
        }
        guard index < end else { return nil }
        return String(value[index..<end])
    }
}
