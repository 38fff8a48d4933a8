internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG.
public enum SecureRandom {
    /// Returns `count` random bytes.
    ///
    /// A failing CSPRNG means the host cannot produce keys, salts or tokens safely; carrying on
    /// with predictable bytes would be worse than stopping, so this traps instead of throwing.
    public static func bytes(count: Int) -> [UInt8] {
        precondition(count >= 0, "byte count must not be negative")
        var output = [UInt8](repeating: 0, count: count)
        output.withUnsafeMutableBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                // RAND_bytes takes an Int32 count.
                let chunk = Swift.min(buffer.count - offset, 1 << 30)
                guard RAND_bytes(buffer.baseAddress! + offset, Int32(chunk)) == 1 else {
                    preconditionFailure("OpenSSL RAND_bytes failed: no secure randomness available")
                }
                offset += chunk
            }
        }
        return output
    }

    /// Returns a URL-safe random token: `byteCount` random bytes as base64url without padding.
    public static func token(byteCount: Int = 32) -> String {
        Base64URL.encode(bytes(count: byteCount))
    }
}
