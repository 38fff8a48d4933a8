import NIOCore

/// Parses RESP2 replies from a byte stream (only what a client reads: `+`, `-`, `:`, `$`, `*`).
struct RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    struct ProtocolError: Error {}

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        var copy = buffer
        guard let value = try Self.parse(&copy) else { return .needMoreData }
        buffer = copy
        context.fireChannelRead(wrapInboundOut(value))
        return .continue
    }

    /// One value from the front of `buffer`, or nil (buffer untouched in meaning) if incomplete.
    static func parse(_ buffer: inout ByteBuffer) throws -> RESPValue? {
        guard let type = buffer.readInteger(as: UInt8.self) else { return nil }
        guard let line = readLine(&buffer) else { return nil }
        switch type {
        case UInt8(ascii: "+"):
            return .simpleString(line)
        case UInt8(ascii: "-"):
            return .error(line)
        case UInt8(ascii: ":"):
            guard let value = Int64(line) else { throw ProtocolError() }
            return .integer(value)
        case UInt8(ascii: "$"):
            guard let length = Int(line) else { throw ProtocolError() }
            if length < 0 { return .bulkString(nil) }
            guard buffer.readableBytes >= length + 2, let bytes = buffer.readSlice(length: length) else { return nil }
            buffer.moveReaderIndex(forwardBy: 2)
            return .bulkString(bytes)
        case UInt8(ascii: "*"):
            guard let count = Int(line) else { throw ProtocolError() }
            if count < 0 { return .array(nil) }
            var values: [RESPValue] = []
            values.reserveCapacity(count)
            for _ in 0..<count {
                guard let value = try parse(&buffer) else { return nil }
                values.append(value)
            }
            return .array(values)
        default:
            throw ProtocolError()
        }
    }

    private static func readLine(_ buffer: inout ByteBuffer) -> String? {
        let view = buffer.readableBytesView
        guard let cr = view.firstIndex(of: UInt8(ascii: "\r")), cr + 1 < view.endIndex else { return nil }
        let length = cr - view.startIndex
        let line = buffer.readString(length: length)
        buffer.moveReaderIndex(forwardBy: 2)
        return line
    }
}
