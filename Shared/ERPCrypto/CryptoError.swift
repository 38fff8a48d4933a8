internal import COpenSSL

/// An error from ERPCrypto.
///
/// Descriptions are fixed text: they never carry keys, passwords, plaintext or tokens, so an
/// error can be logged or returned in a problem body as is.
public struct CryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case invalidKey
        case invalidKeySize
        case invalidNonceSize
        case invalidParameters
        case malformedInput
        case authenticationFailed
        case libraryFailure
    }

    private let code: Code
    /// Names the OpenSSL call that failed; never data.
    private let operation: String?

    private init(_ code: Code, operation: String? = nil) {
        self.code = code
        self.operation = operation
    }

    /// Key bytes were rejected by OpenSSL (for example not a valid Ed25519 point).
    public static let invalidKey = CryptoError(.invalidKey)
    /// A key has the wrong number of bytes for the algorithm.
    public static let invalidKeySize = CryptoError(.invalidKeySize)
    /// A nonce has the wrong number of bytes for the algorithm.
    public static let invalidNonceSize = CryptoError(.invalidNonceSize)
    /// A cost, length or count is out of the accepted range.
    public static let invalidParameters = CryptoError(.invalidParameters)
    /// Encoded input (JWS, base64url, sealed box) is not well formed.
    public static let malformedInput = CryptoError(.malformedInput)
    /// An authentication tag did not match: wrong key, wrong associated data, or tampering.
    public static let authenticationFailed = CryptoError(.authenticationFailed)
    /// OpenSSL reported an internal failure. Compare with `==`; the operation is informational.
    public static let libraryFailure = CryptoError(.libraryFailure)

    /// A library failure naming the OpenSSL call. Clears the thread's OpenSSL error queue,
    /// because a stale entry there makes later, unrelated OpenSSL users (libpq's TLS on the
    /// same thread) misreport their own results.
    static func library(_ operation: String) -> CryptoError {
        ERR_clear_error()
        return CryptoError(.libraryFailure, operation: operation)
    }

    public var description: String {
        switch code {
        case .invalidKey: "invalid key"
        case .invalidKeySize: "invalid key size"
        case .invalidNonceSize: "invalid nonce size"
        case .invalidParameters: "invalid cryptographic parameters"
        case .malformedInput: "malformed input"
        case .authenticationFailed: "authentication failed"
        case .libraryFailure: operation.map { "OpenSSL operation failed: \($0)" } ?? "OpenSSL operation failed"
        }
    }

    // Equality is by kind only, so `error == .libraryFailure` holds whatever call failed.
    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}
