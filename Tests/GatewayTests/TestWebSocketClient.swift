import Foundation
import NIOCore
import NIOPosix

/// A raw WebSocket client for the tests: the HTTP/1.1 opening handshake written by hand and
/// frames (masked, as clients must) encoded and decoded here, so what the gateway forwards is
/// checked byte for byte without a second WebSocket implementation in between.
struct TestWebSocketClient {
    struct Frame: Equatable {
        let opcode: UInt8
        let payload: [UInt8]
        var text: String { String(decoding: payload, as: UTF8.self) }
    }

    struct Handshake {
        let status: Int
        let headers: [String: String]
    }

    struct Closed: Error {}

    static let key = "dGhlIHNhbXBsZSBub25jZQ=="
    /// RFC 6455 §1.3's example: the accept value for `key`.
    static let expectedAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var buffer = ByteBuffer()

    /// Connects to `port` and runs `body` with a client; the connection closes afterwards.
    static func withConnection<Result: Sendable>(
        port: Int, _ body: (inout TestWebSocketClient) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var client = TestWebSocketClient(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&client)
        }
    }

    /// Sends the opening handshake for `target` and reads the response head.
    mutating func handshake(_ target: String, headers: [(String, String)] = []) async throws -> Handshake {
        var request = "GET \(target) HTTP/1.1\r\nHost: gateway\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: \(Self.key)\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        try await outbound.write(ByteBuffer(string: request + "\r\n"))
        while true {
            let view = buffer.readableBytesView
            if let end = view.firstRange(of: Array("\r\n\r\n".utf8)) {
                let headText = String(decoding: view[..<end.lowerBound], as: UTF8.self)
                buffer.moveReaderIndex(forwardBy: end.upperBound - view.startIndex)
                let lines = headText.components(separatedBy: "\r\n")
                let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
                var fields: [String: String] = [:]
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                return Handshake(status: status, headers: fields)
            }
            guard try await fill() else { throw Closed() }
        }
    }

    mutating func send(opcode: UInt8, _ payload: [UInt8]) async throws {
        var frame = ByteBuffer()
        frame.writeInteger(0x80 | opcode)
        if payload.count < 126 {
            frame.writeInteger(UInt8(0x80 | payload.count))
        } else if payload.count <= 0xffff {
            frame.writeInteger(UInt8(0x80 | 126))
            frame.writeInteger(UInt16(payload.count))
        } else {
            frame.writeInteger(UInt8(0x80 | 127))
            frame.writeInteger(UInt64(payload.count))
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame.writeBytes(mask)
        frame.writeBytes(payload.enumerated().map { $0.element ^ mask[$0.offset % 4] })
        try await outbound.write(frame)
    }

    mutating func send(text: String) async throws { try await send(opcode: 0x1, Array(text.utf8)) }

    /// The next whole frame, or nil when the connection closed first.
    mutating func readFrame() async throws -> Frame? {
        while true {
            if let frame = parseFrame() { return frame }
            guard try await fill() else { return nil }
        }
    }

    /// Reads until the connection closes (true) — frames on the way are dropped.
    mutating func readUntilClosed() async throws -> Bool {
        while try await fill() { buffer.moveReaderIndex(to: buffer.writerIndex) }
        return true
    }

    private mutating func parseFrame() -> Frame? {
        let bytes = Array(buffer.readableBytesView)
        guard bytes.count >= 2 else { return nil }
        var length = Int(bytes[1] & 0x7f)
        var offset = 2
        if length == 126 {
            guard bytes.count >= 4 else { return nil }
            length = Int(bytes[2]) << 8 | Int(bytes[3])
            offset = 4
        } else if length == 127 {
            guard bytes.count >= 10 else { return nil }
            length = bytes[2..<10].reduce(0) { $0 << 8 | Int($1) }
            offset = 10
        }
        guard bytes.count >= offset + length else { return nil }
        buffer.moveReaderIndex(forwardBy: offset + length)
        return Frame(opcode: bytes[0] & 0x0f, payload: Array(bytes[offset..<(offset + length)]))
    }

    /// Reads more bytes into the buffer; false at end of stream.
    private mutating func fill() async throws -> Bool {
        guard var more = try await inbound.next() else { return false }
        buffer.writeBuffer(&more)
        return true
    }
}
