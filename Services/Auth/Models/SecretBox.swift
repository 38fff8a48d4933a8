import ERPCrypto

/// Seals secrets kept at rest (signing keys, TOTP seeds, refresh-token successors) with
/// AES-256-GCM under the key-encryption key from the environment. The `purpose` is bound as
/// associated data, so a sealed TOTP seed can never be opened as a signing key.
struct SecretBox: Sendable {
    private let key: [UInt8]

    /// `key` is 32 bytes; the configuration checks that before anything is built.
    init(key: [UInt8]) {
        precondition(key.count == 32, "the key-encryption key is 32 bytes")
        self.key = key
    }

    func seal(_ plaintext: [UInt8], purpose: String) throws -> [UInt8] {
        try AES256GCM.seal(plaintext, key: key, authenticating: Array(purpose.utf8)).combined
    }

    func open(_ sealed: [UInt8], purpose: String) throws -> [UInt8] {
        try AES256GCM.open(try AES256GCM.SealedBox(combined: sealed), key: key, authenticating: Array(purpose.utf8))
    }
}
