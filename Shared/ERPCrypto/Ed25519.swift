/// Ed25519 signatures (RFC 8032), the algorithm behind the suite's EdDSA JWTs (RFC 8037).
///
/// Signing is deterministic: the same key and message always give the same signature.
public enum Ed25519 {
    /// Length of a private key seed in bytes.
    public static let seedLength = 32
    /// Length of a public key in bytes.
    public static let publicKeyLength = 32
    /// Length of a signature in bytes.
    public static let signatureLength = 64

    /// The OpenSSL key type name.
    static let keyType = "ED25519"
}
