/// Base32 (RFC 4648 §6), the encoding authenticator apps use for TOTP secrets.
public enum Base32 {
    private static let symbols = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
    private static let invalid: UInt8 = 0xFF
    private static let values: [UInt8] = {
        var values = [UInt8](repeating: invalid, count: 256)
        for (index, symbol) in symbols.enumerated() {
            values[Int(symbol)] = UInt8(index)
            // Lowercase is accepted because people copy secrets by hand.
            if symbol >= UInt8(ascii: "A") && symbol <= UInt8(ascii: "Z") {
                values[Int(symbol + 32)] = UInt8(index)
            }
        }
        return values
    }()

    /// Encodes `bytes` in uppercase. `padding: false` leaves out the trailing `=`, as
    /// otpauth URIs expect.
    public static func encode(_ bytes: [UInt8], padding: Bool = true) -> String {
        var output = [UInt8]()
        output.reserveCapacity((bytes.count + 4) / 5 * 8)
        var buffer: UInt64 = 0
        var bitCount = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt64(byte)
            bitCount += 8
            while bitCount >= 5 {
                bitCount -= 5
                output.append(symbols[Int(buffer >> UInt64(bitCount) & 0x1F)])
            }
        }
        if bitCount > 0 {
            output.append(symbols[Int(buffer << UInt64(5 - bitCount) & 0x1F)])
        }
        if padding {
            while output.count % 8 != 0 { output.append(UInt8(ascii: "=")) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes base32 text in either case, with or without `=` padding.
    ///
    /// Returns nil for other characters (including spaces), impossible lengths, padding that
    /// does not complete an 8-character block, and non-zero unused bits.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var input = Array(text.utf8)
        if let firstPad = input.firstIndex(of: UInt8(ascii: "=")) {
            guard input.count % 8 == 0,
                  input[firstPad...].allSatisfy({ $0 == UInt8(ascii: "=") })
            else { return nil }
            input.removeSubrange(firstPad...)
        }
        // 8 characters carry 5 bytes; a final partial block can only have 2, 4, 5 or 7.
        guard [0, 2, 4, 5, 7].contains(input.count % 8) else { return nil }
        var output = [UInt8]()
        output.reserveCapacity(input.count * 5 / 8)
        var buffer: UInt64 = 0
        var bitCount = 0
        for character in input {
            let value = values[Int(character)]
            guard value != invalid else { return nil }
            buffer = buffer << 5 | UInt64(value)
            bitCount += 5
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt64(bitCount)))
            }
        }
        guard buffer & ((1 << UInt64(bitCount)) - 1) == 0 else { return nil }
        return output
    }
}
