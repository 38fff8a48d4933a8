extension Array where Element == UInt8 {
    /// Calls `body` with a pointer that is never nil, even for an empty array: some OpenSSL
    /// entry points treat a NULL buffer as "not given" rather than "zero bytes" (an empty HMAC
    /// key, an empty scrypt password), which is not what the caller meant.
    func withNonNullPointer<Result>(_ body: (UnsafePointer<UInt8>, Int) throws -> Result) rethrows -> Result {
        if isEmpty {
            var placeholder: UInt8 = 0
            return try withUnsafePointer(to: &placeholder) { try body($0, 0) }
        }
        return try withUnsafeBufferPointer { try body($0.baseAddress!, $0.count) }
    }
}
