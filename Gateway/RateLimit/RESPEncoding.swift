import NIOCore

// RESP2 command encoding straight into a `ByteBuffer`: no `String` per argument, length or
// number (a rate-limit check sends a dozen of them per request).
extension ByteBuffer {
    /// `*<count>\r\n`
    mutating func writeRESPArrayHeader(count: Int) {
        writeInteger(UInt8(ascii: "*"))
        writeDecimal(UInt64(count))
        writeStaticString("\r\n")
    }

    /// `$<length>\r\n<text>\r\n`
    mutating func writeRESPBulk(_ text: String) {
        writeInteger(UInt8(ascii: "$"))
        writeDecimal(UInt64(text.utf8.count))
        writeStaticString("\r\n")
        writeString(text)
        writeStaticString("\r\n")
    }

    /// `$<length>\r\n<decimal>\r\n`
    mutating func writeRESPBulk(_ value: Int64) {
        let digits = Self.decimalDigits(value.magnitude) + (value < 0 ? 1 : 0)
        writeInteger(UInt8(ascii: "$"))
        writeDecimal(UInt64(digits))
        writeStaticString("\r\n")
        if value < 0 { writeInteger(UInt8(ascii: "-")) }
        writeDecimal(value.magnitude)
        writeStaticString("\r\n")
    }

    /// A whole command, every argument a bulk string.
    mutating func writeRESPCommand(_ arguments: [String]) {
        writeRESPArrayHeader(count: arguments.count)
        for argument in arguments { writeRESPBulk(argument) }
    }

    private static func decimalDigits(_ value: UInt64) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }

    private mutating func writeDecimal(_ value: UInt64) {
        let count = Self.decimalDigits(value)
        writeWithUnsafeMutableBytes(minimumWritableBytes: count) { bytes in
            var rest = value
            var index = count - 1
            repeat {
                bytes[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                index -= 1
            } while rest > 0
            return count
        }
    }
}
