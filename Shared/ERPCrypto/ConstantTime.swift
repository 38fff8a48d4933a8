internal import COpenSSL

/// Comparisons whose running time does not depend on where the inputs differ.
public enum ConstantTime {
    /// True when `lhs` and `rhs` hold the same bytes.
    ///
    /// Lengths are not secret (a MAC or hash has a fixed size), so differing lengths return
    /// false at once; equal-length inputs are compared with `CRYPTO_memcmp`, which reads every
    /// byte whatever the contents.
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.withNonNullPointer { left, count in
            rhs.withNonNullPointer { right, _ in
                CRYPTO_memcmp(left, right, count) == 0
            }
        }
    }
}
