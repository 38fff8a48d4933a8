import Foundation

/// Seals secrets kept at rest (auth's signing keys and TOTP seeds, notification's webhook
/// signing secrets) with AES-256-GCM under a key-encryption key from the environment. The
/// `purpose` is bound as associated data, so a sealed TOTP seed can never be opened as a
/// signing key, nor one row's secret as another's when the purpose names the row.
public struct SecretBox: Sendable {
    private let key: [UInt8]
    /// Keys being rotated out: they still open what they sealed, they seal nothing new.
    private let previousKeys: [[UInt8]]

    /// `key` is 32 bytes, and so is each of `previousKeys`; the configuration checks that
    /// (`key(base64:)`, `keys(base64List:)`) before anything is built.
    public init(key: [UInt8], previousKeys: [[UInt8]] = []) {
        precondition(key.count == AES256GCM.keyLength, "the key-encryption key is 32 bytes")
        precondition(previousKeys.allSatisfy { $0.count == AES256GCM.keyLength }, "previous key-encryption keys are 32 bytes")
        self.key = key
        self.previousKeys = previousKeys
    }

    /// The key from its configured form (`openssl rand -base64 32`), or nil when it is not
    /// exactly 32 bytes of base64: a short or mistyped key must stop the service, not weaken it.
    public static func key(base64 text: String?) -> [UInt8]? {
        guard let text, let decoded = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
            decoded.count == AES256GCM.keyLength
        else { return nil }
        return [UInt8](decoded)
    }

    /// Comma-separated keys (the previous keys of a rotation); `[]` for none, nil when any
    /// of them is not a key.
    public static func keys(base64List text: String?) -> [[UInt8]]? {
        let parts = (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var keys: [[UInt8]] = []
        for part in parts {
            guard let key = key(base64: part) else { return nil }
            keys.append(key)
        }
        return keys
    }

    /// Nonce, ciphertext and tag in one byte string (`AES256GCM.SealedBox.combined`), under the
    /// current key.
    public func seal(_ plaintext: [UInt8], purpose: String) throws -> [UInt8] {
        try AES256GCM.seal(plaintext, key: key, authenticating: Array(purpose.utf8)).combined
    }

    /// Throws when `sealed` was altered, sealed under a key this box doesn't hold or for
    /// another purpose.
    public func open(_ sealed: [UInt8], purpose: String) throws -> [UInt8] {
        try openReportingRotation(sealed, purpose: purpose).plaintext
    }

    /// Like ``open(_:purpose:)``, and says whether a previous key opened it: then the caller
    /// stores `resealed` (the same secret under the current key), so that once every row has
    /// been used the previous key can be dropped.
    public func openReportingRotation(_ sealed: [UInt8], purpose: String) throws -> (plaintext: [UInt8], resealed: [UInt8]?) {
        let box = try AES256GCM.SealedBox(combined: sealed)
        let associated = Array(purpose.utf8)
        do {
            return (try AES256GCM.open(box, key: key, authenticating: associated), nil)
        } catch {
            // GCM's tag fails for a wrong key exactly as for tampering, so trying the previous
            // keys in turn can't make a forgery open.
            for previous in previousKeys {
                if let plaintext = try? AES256GCM.open(box, key: previous, authenticating: associated) {
                    return (plaintext, try seal(plaintext, purpose: purpose))
                }
            }
            throw error
        }
    }
}
