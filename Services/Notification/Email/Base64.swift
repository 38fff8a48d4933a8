import Foundation

/// Standard base64 (with padding), as MIME and SMTP AUTH use it.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Body encoding: lines of 76 characters separated by CRLF.
    static func encodeLines(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
    }
}
