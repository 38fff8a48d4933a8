import Foundation

/// RFC 4180 CSV: comma-separated, fields with commas, quotes or line breaks in double quotes
/// (a quote inside doubled), CRLF or LF line ends, an optional UTF-8 byte order mark.
enum CSV {
    struct ParseError: Error, CustomStringConvertible {
        /// The 1-based row where the problem is.
        let row: Int
        let description: String
    }

    /// The rows of `text`; a trailing line break does not make an empty row.
    static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var fieldStarted = false
        var iterator = text.unicodeScalars.drop { $0 == "\u{FEFF}" }.makeIterator()
        var pending: Unicode.Scalar?
        func next() -> Unicode.Scalar? {
            if let scalar = pending { pending = nil; return scalar }
            return iterator.next()
        }
        while let scalar = next() {
            if quoted {
                if scalar == "\"" {
                    let following = next()
                    if following == "\"" {
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                        pending = following
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where !fieldStarted:
                quoted = true
                fieldStarted = true
            case "\"":
                throw ParseError(row: rows.count + 1, description: "A quote inside an unquoted field; quote the whole field and double the quote.")
            case ",":
                row.append(field)
                field = ""
                fieldStarted = false
            case "\r", "\n":
                if scalar == "\r" {
                    let following = next()
                    if following != "\n" { pending = following }
                }
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                fieldStarted = false
            default:
                field.unicodeScalars.append(scalar)
                fieldStarted = true
            }
        }
        if quoted { throw ParseError(row: rows.count + 1, description: "A quoted field is not closed.") }
        if fieldStarted || !row.isEmpty || !field.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }

    /// One line of CSV (with CRLF). Cells starting with `=`, `+`, `-`, `@`, tab or CR get a
    /// leading `'` so a spreadsheet does not run them as formulas (CSV injection).
    static func line(_ cells: [String]) -> String {
        cells.map(quote).joined(separator: ",") + "\r\n"
    }

    static func quote(_ cell: String) -> String {
        var value = cell
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            // Plain negative numbers stay numbers.
            if !(first == "-" && Double(value) != nil) { value = "'" + value }
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
