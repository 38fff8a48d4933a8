import ERPCrypto
import Foundation

extension WebhookEndpoint {
    /// Bound to the endpoint: a sealed secret copied into another row does not open there.
    static func secretPurpose(_ id: UUID) -> String {
        "notification.webhook.secret:\(id.uuidString.lowercased())"
    }

    static func sealSecret(_ secret: String, endpoint id: UUID, with box: SecretBox) throws -> [UInt8] {
        try box.seal(Array(secret.utf8), purpose: secretPurpose(id))
    }

    /// The signing secret, for the moment of signing only.
    func secret(openedWith box: SecretBox) throws -> String {
        String(decoding: try box.open(sealedSecret, purpose: Self.secretPurpose(id)), as: UTF8.self)
    }

    /// The secret sealed anew under the current key when a previous key of a rotation sealed it;
    /// nil when nothing needs doing (or it doesn't open, which sending reports).
    func resealedSecret(with box: SecretBox) -> [UInt8]? {
        (try? box.openReportingRotation(sealedSecret, purpose: Self.secretPurpose(id)))?.resealed
    }
}
