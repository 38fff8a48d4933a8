import Foundation

/// The id a request carries through every service and into every log line (`X-Request-ID`).
///
/// An incoming id is kept only when it is short and made of safe characters, so a caller can't
/// inject log lines or huge headers through it; otherwise a fresh one is generated.
public enum RequestID {
    public static let headerName = "X-Request-ID"

    public static func sanitized(_ incoming: String?) -> String {
        if let incoming, (1...128).contains(incoming.utf8.count),
            incoming.utf8.allSatisfy({ isAllowed($0) })
        {
            return incoming
        }
        return generate()
    }

    public static func generate() -> String {
        UUID().uuidString.lowercased()
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: ":"):
            return true
        default:
            return false
        }
    }
}
