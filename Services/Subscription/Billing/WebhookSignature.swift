import ERPCrypto
import Foundation

/// Stripe-style webhook signatures: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`
/// over `"<t>.<raw body>"` with the endpoint's secret. A signature older or newer than the
/// tolerance is refused, so a captured request cannot be replayed later; a replay inside the
/// window is caught by the event id (see `WebhookEventRepository`).
struct WebhookSignature: Sendable {
    let secret: [UInt8]
    var tolerance: TimeInterval = 300

    init(secret: String, tolerance: TimeInterval = 300) {
        self.secret = Array(secret.utf8)
        self.tolerance = tolerance
    }

    /// Whether `header` signs `body` at a time within the tolerance of `now`.
    func isValid(header: String?, body: [UInt8], now: Date) -> Bool {
        guard let header else { return false }
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) }
            if pair[0] == "v1", let bytes = Hex.decode(pair[1]), !bytes.isEmpty { signatures.append(bytes) }
        }
        guard let timestamp, !signatures.isEmpty, abs(now.timeIntervalSince1970 - TimeInterval(timestamp)) <= tolerance else { return false }
        let expected = HMAC.authenticationCode(for: Array("\(timestamp).".utf8) + body, key: secret)
        // Several v1 entries appear while the endpoint's secret is being rolled.
        return signatures.contains { ConstantTime.equals($0, expected) }
    }

    /// The header a sender would attach (tests, and the documentation's example).
    func header(body: [UInt8], at date: Date) -> String {
        let timestamp = Int64(date.timeIntervalSince1970)
        let code = HMAC.authenticationCode(for: Array("\(timestamp).".utf8) + body, key: secret)
        return "t=\(timestamp),v1=" + Hex.encode(code)
    }
}
