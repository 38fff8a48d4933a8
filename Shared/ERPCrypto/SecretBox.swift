import Foundation

/// Seals secrets kept at rest (auth's signing keys and TOTP seeds, notification's webhook
/// signing secrets) with AES-256-GCM under a key-encryption key from the environment. The
/// `purpose` is bound as associated data, so a sealed TOTP seed can never be opened as a
/// signing key, nor one row's secret as another's when the purpose names the row.
public struct SecretBox: Sendable {
    private let key: [UInt8]

    /// `key` is 32 bytes; the configuration checks that (`key(base64:)`) before anything is built.
    public init(key: [UInt8]) {
        precondition(key.count == AES256GCM.keyLength, "the key-encryption key is 32 bytes")
        self.key = key
    }

    /// The key from its configured form (`openssl rand -base64 32`), or nil when it is not
    /// exactly 32 bytes of base64: a short or mistyped key must stop the service, not weaken it.
    public static func key(base64 text: String?) -> [UInt8]? {
        guard let text, let decoded = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
            decoded.count == AES256GCM.keyLength
        else { return nil }
        return [UInt8](decoded)
    }

    /// Nonce, ciphertext and tag in one byte string (`AES256GCM.SealedBox.combined`).
    public func seal(_ plaintext: [UInt8], purpose: String) throws -> [UInt8] {
        try AES256GCM.seal(plaintext, key: key, authenticating: Array(purpose.utf8)).combined
    }

    /// Throws when `sealed` was altered, sealed under another key or for another purpose.
    public func open(_ sealed: [UInt8], purpose: String) throws -> [UInt8] {
        try AES256GCM.open(try AES256GCM.SealedBox(combined: sealed), key: key, authenticating: Array(purpose.utf8))
    }
}
