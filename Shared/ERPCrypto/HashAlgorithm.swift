/// Hash functions offered for HMAC, PBKDF2 and one-time passwords.
public enum HashAlgorithm: Sendable, Hashable, CaseIterable {
    /// SHA-1: only for HMAC uses that need it (TOTP apps, RFC 6070); never for signatures.
    case sha1
    case sha256
    case sha512

    /// The digest size in bytes.
    public var digestLength: Int {
        switch self {
        case .sha1: 20
        case .sha256: 32
        case .sha512: 64
        }
    }

    /// The OpenSSL algorithm name, also the spelling the otpauth URI format uses.
    var openSSLName: String {
        switch self {
        case .sha1: "SHA1"
        case .sha256: "SHA256"
        case .sha512: "SHA512"
        }
    }
}
