internal import COpenSSL
import Foundation

/// SHA-256 (FIPS 180-4).
public enum SHA256 {
    /// The digest size in bytes.
    public static let digestLength = 32

    /// Returns the 32-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        digest(bytes)
    }

    /// Returns the 32-byte digest of `data`.
    public static func hash(_ data: some DataProtocol) -> [UInt8] {
        digest(Array(data))
    }

    /// Returns the digest of `bytes` as 64 lowercase hex characters.
    public static func hexDigest(_ bytes: [UInt8]) -> String {
        Hex.encode(digest(bytes))
    }

    /// Returns the digest of `data` as 64 lowercase hex characters.
    public static func hexDigest(_ data: some DataProtocol) -> String {
        Hex.encode(digest(Array(data)))
    }

    // All overloads funnel here so a generic one cannot resolve to itself.
    private static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: digestLength)
        var length: UInt32 = 0
        let status = bytes.withNonNullPointer { input, count in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input, count, output.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        // Hashing a buffer cannot fail on valid input; failure means OpenSSL's default
        // provider is unusable, which no caller can recover from.
        precondition(status == 1 && length == UInt32(digestLength), "OpenSSL SHA-256 failed")
        return digest
    }
}
