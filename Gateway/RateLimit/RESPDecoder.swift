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
        switch type {
        case UInt8(ascii: "+"):
            return readLine(&buffer).map { .simpleString($0) }
        case UInt8(ascii: "-"):
            return readLine(&buffer).map { .error($0) }
        case UInt8(ascii: ":"):
            return try readNumber(&buffer).map { .integer($0) }
        case UInt8(ascii: "$"):
            guard let length = try readNumber(&buffer).map(Int.init) else { return nil }
            if length < 0 { return .bulkString(nil) }
            guard buffer.readableBytes >= length + 2, let bytes = buffer.readSlice(length: length) else { return nil }
            buffer.moveReaderIndex(forwardBy: 2)
            return .bulkString(bytes)
        case UInt8(ascii: "*"):
            guard let count = try readNumber(&buffer).map(Int.init) else { return nil }
            if count < 0 { return .array(nil) }
            var values: [RESPValue] = []
            values.reserveCapacity(min(count, 64))
            for _ in 0..<count {
                guard let value = try parse(&buffer) else { return nil }
                values.append(value)
            }
            return .array(values)
        default:
            throw ProtocolError()
        }
    }

    /// A decimal line (`-12\r\n`) read from the bytes, without a `String` in between.
    private static func readNumber(_ buffer: inout ByteBuffer) throws -> Int64? {
        let view = buffer.readableBytesView
        var index = view.startIndex
        var negative = false
        if index < view.endIndex, view[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var value: Int64 = 0
        var digits = 0
        while index < view.endIndex {
            let byte = view[index]
            if byte == UInt8(ascii: "\r") {
                guard index + 1 < view.endIndex else { return nil }
                guard digits > 0, digits <= 18, view[index + 1] == UInt8(ascii: "\n") else { throw ProtocolError() }
                buffer.moveReaderIndex(forwardBy: index + 2 - view.startIndex)
                return negative ? -value : value
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw ProtocolError() }
            value = value &* 10 &+ Int64(byte - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        return nil
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
