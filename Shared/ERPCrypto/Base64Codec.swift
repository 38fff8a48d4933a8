/// Unpadded base64 with a chosen alphabet: base64url for JWS and tokens, the standard
/// alphabet for PHC password strings.
struct Base64Codec: Sendable {
    /// RFC 4648 §4 alphabet, as PHC strings use it (without padding).
    static let standard = Base64Codec(alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    /// RFC 4648 §5 URL- and filename-safe alphabet.
    static let url = Base64Codec(alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    private static let invalid: UInt8 = 0xFF
    private let symbols: [UInt8]
    private let values: [UInt8]

    private init(alphabet: String) {
        symbols = Array(alphabet.utf8)
        var values = [UInt8](repeating: Self.invalid, count: 256)
        for (index, symbol) in symbols.enumerated() {
            values[Int(symbol)] = UInt8(index)
        }
        self.values = values
    }

    func encode(_ bytes: [UInt8]) -> String {
        var output = [UInt8]()
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output.append(symbols[Int(group >> 18 & 0x3F)])
            output.append(symbols[Int(group >> 12 & 0x3F)])
            output.append(symbols[Int(group >> 6 & 0x3F)])
            output.append(symbols[Int(group & 0x3F)])
            index += 3
        }
        switch bytes.count - index {
        case 1:
            let group = UInt32(bytes[index]) << 16
            output.append(symbols[Int(group >> 18 & 0x3F)])
            output.append(symbols[Int(group >> 12 & 0x3F)])
        case 2:
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            output.append(symbols[Int(group >> 18 & 0x3F)])
            output.append(symbols[Int(group >> 12 & 0x3F)])
            output.append(symbols[Int(group >> 6 & 0x3F)])
        default:
            break
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes unpadded text; nil for any character outside the alphabet (including `=`),
    /// an impossible length, or non-zero unused bits in the last character. Rejecting
    /// non-canonical text keeps one byte string from having several accepted spellings
    /// (a JWS signature could otherwise be re-encoded and still verify).
    func decode(_ text: some StringProtocol) -> [UInt8]? {
        let input = Array(text.utf8)
        let remainder = input.count % 4
        guard remainder != 1 else { return nil }
        var output = [UInt8]()
        output.reserveCapacity(input.count * 3 / 4)
        var index = 0
        while index + 4 <= input.count {
            guard let group = sextets(input[index..<index + 4]) else { return nil }
            output.append(UInt8(truncatingIfNeeded: group >> 16))
            output.append(UInt8(truncatingIfNeeded: group >> 8))
            output.append(UInt8(truncatingIfNeeded: group))
            index += 4
        }
        if remainder > 0 {
            guard let group = sextets(input[index...]) else { return nil }
            // `group` holds 6 bits per character, left-aligned into 24 bits.
            let aligned = group << (6 * UInt32(4 - remainder))
            output.append(UInt8(truncatingIfNeeded: aligned >> 16))
            if remainder == 3 {
                output.append(UInt8(truncatingIfNeeded: aligned >> 8))
                guard aligned & 0xFF == 0 else { return nil }
            } else {
                guard aligned & 0xFFFF == 0 else { return nil }
            }
        }
        return output
    }

    private func sextets(_ characters: ArraySlice<UInt8>) -> UInt32? {
        var group: UInt32 = 0
        for character in characters {
            let value = values[Int(character)]
            guard value != Self.invalid else { return nil }
            group = group << 6 | UInt32(value)
        }
        return group
    }
}
