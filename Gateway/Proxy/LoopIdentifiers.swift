import ERPCrypto
import ERPServiceKit

/// Request ids and trace/span ids for one event loop, from a small fast generator (wyrand)
/// seeded once from the CSPRNG. These ids must be unique, not secret; Foundation's `UUID()`
/// opens /dev/urandom on every call on Linux and the CSPRNG takes locks, both measurable per
/// request at proxy rates. Owned by one loop: no lock.
final class LoopIdentifiers {
    private var state: UInt64
    private static let hexDigits = Array("0123456789abcdef".utf8)

    init() {
        state = SecureRandom.bytes(count: 8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    func next() -> UInt64 {
        state &+= 0xa076_1d64_78bd_642f
        let product = state.multipliedFullWidth(by: state ^ 0xe703_7ed1_a0b4_28db)
        return product.high ^ product.low
    }

    /// A random (version 4) UUID in lowercase, like `RequestID.generate()`.
    func requestID() -> String {
        let high = next() & 0xffff_ffff_ffff_0fff | 0x0000_0000_0000_4000
        let low = next() & 0x3fff_ffff_ffff_ffff | 0x8000_0000_0000_0000
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { buffer in
            var index = 0
            func put(_ value: UInt64, digits: Int, shift: Int) {
                for digit in stride(from: digits - 1, through: 0, by: -1) {
                    buffer[index] = Self.hexDigits[Int((value >> UInt64(shift + digit * 4)) & 0xf)]
                    index += 1
                }
            }
            put(high, digits: 8, shift: 32)
            buffer[index] = UInt8(ascii: "-"); index += 1
            put(high, digits: 4, shift: 16)
            buffer[index] = UInt8(ascii: "-"); index += 1
            put(high, digits: 4, shift: 0)
            buffer[index] = UInt8(ascii: "-"); index += 1
            put(low, digits: 4, shift: 48)
            buffer[index] = UInt8(ascii: "-"); index += 1
            put(low, digits: 12, shift: 0)
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[0..<36]), as: UTF8.self)
        }
    }

    /// `traceparent` for the upstream request: the caller's trace with a new span id, or a new
    /// sampled trace when the caller sent none (or a malformed one). Written in one 55-byte
    /// string, not assembled from pieces (five allocations per request before).
    func traceparent(continuing incoming: String?) -> String {
        let span = next()
        if let incoming, let trace = TraceContext(traceparent: incoming) {
            let flags = hex(UInt64(trace.flags), digits: 2)
            return "00-\(trace.traceID)-\(hex(span, digits: 16))-\(flags)"
        }
        var traceHigh = next()
        if traceHigh == 0 { traceHigh = 1 }  // never the all-zero (invalid) trace id
        let traceLow = next()
        return String(unsafeUninitializedCapacity: 55) { buffer in
            // 00-<32 hex trace id>-<16 hex span id>-01
            buffer[0] = UInt8(ascii: "0")
            buffer[1] = UInt8(ascii: "0")
            buffer[2] = UInt8(ascii: "-")
            Self.writeHex(traceHigh, into: buffer, at: 3)
            Self.writeHex(traceLow, into: buffer, at: 19)
            buffer[35] = UInt8(ascii: "-")
            Self.writeHex(span, into: buffer, at: 36)
            buffer[52] = UInt8(ascii: "-")
            buffer[53] = UInt8(ascii: "0")
            buffer[54] = UInt8(ascii: "1")
            return 55
        }
    }

    private static func writeHex(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        for index in 0..<16 {
            buffer[offset + index] = hexDigits[Int((value >> UInt64((15 - index) * 4)) & 0xf)]
        }
    }

    private func hex(_ value: UInt64, digits: Int) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: digits) { buffer in
            for index in 0..<digits {
                buffer[index] = Self.hexDigits[Int((value >> UInt64((digits - 1 - index) * 4)) & 0xf)]
            }
            return String(decoding: UnsafeBufferPointer(buffer), as: UTF8.self)
        }
    }
}
