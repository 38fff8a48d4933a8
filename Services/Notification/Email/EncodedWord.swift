/// RFC 2047 encoded words for header values that are not plain ASCII.
enum EncodedWord {
    /// A header value as is when it is printable ASCII, else as `=?UTF-8?B?…?=` words, each at
    /// most 75 characters, folded onto continuation lines. Characters are never split across words.
    static func encode(_ value: String) -> String {
        let flattened = value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if flattened.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return flattened }
        return words(flattened).joined(separator: "\r\n ")
    }

    /// A display name: quoted when it is ASCII with specials, encoded when it is not ASCII.
    static func phrase(_ name: String) -> String {
        let encoded = encode(name)
        guard encoded == name.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ") else { return encoded }
        let escaped = encoded.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }

    private static func words(_ value: String) -> [String] {
        // 45 bytes of UTF-8 become 60 base64 characters: 12 + 60 = 72 ≤ 75.
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in value {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Base64.encode(bytes))?="
    }
}
