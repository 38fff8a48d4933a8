import ERPTestSupport
import Foundation

/// The stack's SMTP sink writes each mail as one file under `$ERP_SMTP_MAILDIR/new`. Other
/// suites share it, so mails are found by their unique recipient, never by counting files.
enum Maildir {
    static func mails(to address: String) -> [String] {
        let directory = URL(fileURLWithPath: TestEnvironment.smtpMaildir).appendingPathComponent("new")
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        return files.compactMap { try? String(contentsOf: $0, encoding: .utf8) }.filter { mail in
            header("To", in: mail)?.contains("<\(address)>") == true
        }
    }

    /// Waits (briefly) until `count` mails to `address` are there.
    static func await(_ address: String, count: Int = 1, timeout: TimeInterval = 5) async throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let found = mails(to: address)
            if found.count >= count || Date() > deadline { return found }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The unfolded value of the first header `name`.
    static func header(_ name: String, in mail: String) -> String? {
        let head = mail.components(separatedBy: "\n\n").first ?? mail
        var value: String?
        for line in head.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            if value != nil, line.first == " " || line.first == "\t" {
                value! += String(line.dropFirst())
                continue
            }
            if value != nil { break }
            if line.lowercased().hasPrefix(name.lowercased() + ":") { value = line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
        }
        return value
    }

    /// Decodes RFC 2047 `=?UTF-8?B?…?=` words.
    static func decodeWords(_ value: String) -> String {
        let pattern = try! NSRegularExpression(pattern: #"=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?="#)
        var result = ""
        var last = value.startIndex
        for match in pattern.matches(in: value, range: NSRange(value.startIndex..., in: value)) {
            let range = Range(match.range, in: value)!
            let between = String(value[last..<range.lowerBound])
            if !between.trimmingCharacters(in: .whitespaces).isEmpty { result += between }
            let encoded = String(value[Range(match.range(at: 1), in: value)!])
            result += String(decoding: Data(base64Encoded: encoded) ?? Data(), as: UTF8.self)
            last = range.upperBound
        }
        return result + value[last...]
    }

    /// Decodes a quoted-printable body.
    static func decodeQuotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        let source = Array(text.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=\n", with: "").utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "="), index + 2 < source.count,
                let byte = UInt8(String(decoding: source[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(byte)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
