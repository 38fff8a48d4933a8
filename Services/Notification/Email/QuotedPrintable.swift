/// RFC 2045 quoted-printable for UTF-8 text bodies: lines of at most 76 characters (soft breaks
/// `=` CRLF), `=XX` for `=`, non-ASCII and control bytes, and for a space or tab before a line end.
enum QuotedPrintable {
    static func encode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        let lines = normalizedLines(text)
        for (index, line) in lines.enumerated() {
            var column = 0
            let bytes = Array(line.utf8)
            for (position, byte) in bytes.enumerated() {
                let isLast = position == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !isLast)
                let piece: [UInt8] = literal ? [byte] : [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                // Keep room for the soft-break "=" at column 76.
                if column + piece.count > 75 {
                    output += Array("=\r\n".utf8)
                    column = 0
                }
                output += piece
                column += piece.count
            }
            if index < lines.count - 1 { output += [13, 10] }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Splits on CRLF, CR or LF so every hard line break becomes CRLF.
    static func normalizedLines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
