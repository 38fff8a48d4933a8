import ERPCrypto
import Foundation

/// `ERP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, the same scheme as
/// Stripe's: the timestamp is signed with the body, so a receiver that rejects old timestamps
/// (say, older than 5 minutes) cannot be fed a replayed request.
enum WebhookSignature {
    static let header = "ERP-Signature"

    static func sign(body: [UInt8], secret: String, timestamp: Int) -> String {
        "t=\(timestamp),v1=\(mac(body: body, secret: secret, timestamp: timestamp))"
    }

    private static func mac(body: [UInt8], secret: String, timestamp: Int) -> String {
        Hex.encode(HMAC.authenticationCode(for: Array("\(timestamp).".utf8) + body, key: Array(secret.utf8)))
    }

    /// A receiver's check (used by the tests and documented for integrators).
    static func verify(_ header: String, body: [UInt8], secret: String, now: Date, tolerance: TimeInterval = 300) -> Bool {
        var timestamp: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = Array(mac(body: body, secret: secret, timestamp: timestamp).utf8)
        return signatures.contains { ConstantTime.equals(Array($0.utf8), expected) }
    }
}
