import ERPCrypto

/// A W3C Trace Context `traceparent` (version 00): which trace a unit of work belongs to and
/// which span caused it. Carried on HTTP requests and as a Kafka header so a lead's journey
/// from the gateway through several services can be followed in logs.
public struct TraceContext: Sendable, Hashable, CustomStringConvertible {
    /// 32 lowercase hex digits, never all zero.
    public let traceID: String
    /// 16 lowercase hex digits of the current span, never all zero.
    public let spanID: String
    /// Trace flags; bit 0 is "sampled".
    public let flags: UInt8

    /// Parses a `traceparent` header; nil for anything malformed (the spec says to restart the trace then).
    public init?(traceparent: String) {
        let parts = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4,
            parts[0].count == 2, Self.isHex(parts[0]), parts[0] != "ff",
            parts[1].count == 32, Self.isHex(parts[1]), !Self.isZero(parts[1]),
            parts[2].count == 16, Self.isHex(parts[2]), !Self.isZero(parts[2]),
            parts[3].count == 2, Self.isHex(parts[3]), let flags = UInt8(parts[3], radix: 16)
        else { return nil }
        // Version 00 has exactly four fields; later versions may append more, which we ignore.
        if parts[0] == "00" && parts.count != 4 { return nil }
        self.traceID = parts[1].lowercased()
        self.spanID = parts[2].lowercased()
        self.flags = flags
    }

    private init(traceID: String, spanID: String, flags: UInt8) {
        self.traceID = traceID
        self.spanID = spanID
        self.flags = flags
    }

    /// Starts a new sampled trace.
    public static func newRoot() -> TraceContext {
        TraceContext(traceID: randomHex(bytes: 16), spanID: randomHex(bytes: 8), flags: 0x01)
    }

    /// A new span in the same trace, for work this service does on behalf of the current span.
    public func child() -> TraceContext {
        TraceContext(traceID: traceID, spanID: Self.randomHex(bytes: 8), flags: flags)
    }

    /// The header value: `00-<trace-id>-<span-id>-<flags>`.
    public var traceparent: String {
        let flagsHex = String(flags, radix: 16)
        return "00-\(traceID)-\(spanID)-\(flagsHex.count == 1 ? "0" + flagsHex : flagsHex)"
    }

    public var description: String { traceparent }

    private static func isHex(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }
    }

    private static func isZero(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { $0 == 48 }
    }

    private static func randomHex(bytes count: Int) -> String {
        while true {
            let bytes = SecureRandom.bytes(count: count)
            if bytes.contains(where: { $0 != 0 }) {
                return bytes.map { byte in
                    let hex = String(byte, radix: 16)
                    return hex.count == 1 ? "0" + hex : hex
                }.joined()
            }
        }
    }
}
