import ERPCrypto
import ERPProtocol
import Foundation

/// An opaque refresh token, `<session id>.<32 random bytes, base64url>`. The session id finds
/// the family in Redis; only the SHA-256 of the secret part is stored there.
struct RefreshToken: Sendable, Hashable {
    let sessionID: SessionID
    let secret: String

    init(sessionID: SessionID) {
        self.sessionID = sessionID
        self.secret = ERPCryptoBase64.encode(SecureRandom.bytes(count: 32))
    }

    init?(parsing text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard text.utf8.count < 200, parts.count == 2, let id = SessionID(string: String(parts[0])),
            let bytes = ERPCryptoBase64.decode(parts[1]), bytes.count == 32
        else { return nil }
        sessionID = id
        secret = String(parts[1])
    }

    var value: String { "\(sessionID).\(secret)" }

    var secretHash: String { SHA256.hexDigest(Array(secret.utf8)) }
}
