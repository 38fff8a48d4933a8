import NIOCore

/// Reads CRLF-terminated lines from the connection and assembles them into replies.
struct SMTPReplyReader {
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var pending: [UInt8] = []
    /// A reply longer than this is not from a mail server we want to talk to.
    private static let maximumLineLength = 4096

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
        self.iterator = iterator
    }

    mutating func reply() async throws -> SMTPReply {
        var lines: [String] = []
        while true {
            let line = try await nextLine()
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
                throw SMTPError(kind: .connection, message: "malformed reply")
            }
            lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") { return SMTPReply(code: code, lines: lines) }
        }
    }

    private mutating func nextLine() async throws -> String {
        while true {
            if let end = pending.firstIndex(of: 10) {
                var line = Array(pending[..<end])
                pending.removeSubrange(...end)
                if line.last == 13 { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard pending.count < Self.maximumLineLength else { throw SMTPError(kind: .connection, message: "reply line too long") }
            guard var buffer = try await nextBuffer() else { throw SMTPError(kind: .connection, message: "connection closed") }
            pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        }
    }

    /// Errors of the stream (a failed TLS handshake of implicit TLS among them) become `SMTPError`s.
    private mutating func nextBuffer() async throws -> ByteBuffer? {
        do {
            return try await iterator.next()
        } catch {
            throw SMTPError.classifying(error)
        }
    }
}
