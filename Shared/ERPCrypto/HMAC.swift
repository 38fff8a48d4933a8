internal import COpenSSL
import Foundation

/// HMAC (RFC 2104) over SHA-1, SHA-256 or SHA-512, computed with OpenSSL 3's EVP_MAC.
public enum HMAC {
    /// Returns the full-length authentication code of `message` under `key`.
    ///
    /// Compare codes with `ConstantTime.equals`, never with `==`.
    public static func authenticationCode(
        for message: [UInt8], key: [UInt8], algorithm: HashAlgorithm = .sha256
    ) -> [UInt8] {
        compute(message, key: key, algorithm: algorithm)
    }

    /// Returns the full-length authentication code of `message` under `key`.
    public static func authenticationCode(
        for message: some DataProtocol, key: some DataProtocol, algorithm: HashAlgorithm = .sha256
    ) -> [UInt8] {
        compute(Array(message), key: Array(key), algorithm: algorithm)
    }

    // Both overloads funnel here: overload resolution between `[UInt8]` and
    // `some DataProtocol` would otherwise let the generic one call itself.
    private static func compute(_ message: [UInt8], key: [UInt8], algorithm: HashAlgorithm) -> [UInt8] {
        var code = [UInt8](repeating: 0, count: algorithm.digestLength)
        var written = 0
        let result = key.withNonNullPointer { keyPointer, keyCount in
            message.withNonNullPointer { messagePointer, messageCount in
                code.withUnsafeMutableBufferPointer { output in
                    EVP_Q_mac(
                        nil, "HMAC", nil, algorithm.openSSLName, nil,
                        keyPointer, keyCount, messagePointer, messageCount,
                        output.baseAddress, output.count, &written)
                }
            }
        }
        // HMAC cannot fail on valid input; failure means the default provider is unusable.
        precondition(result != nil && written == algorithm.digestLength, "OpenSSL HMAC failed")
        return code
    }
}
