extension PasswordHasher {
    /// scrypt cost settings and sizes for new hashes.
    public struct Parameters: Sendable, Hashable {
        /// log2 of the scrypt cost N.
        public var ln: Int
        /// scrypt block size.
        public var r: Int
        /// scrypt parallelisation.
        public var p: Int
        /// Random salt bytes per hash.
        public var saltLength: Int
        /// Derived hash bytes.
        public var hashLength: Int

        /// Defaults are OWASP's scrypt recommendation: N=2^17, r=8, p=1 (about 128 MiB and a
        /// few hundred milliseconds per hash), 16-byte salt, 32-byte hash.
        public init(ln: Int = 17, r: Int = 8, p: Int = 1, saltLength: Int = 16, hashLength: Int = 32) {
            self.ln = ln
            self.r = r
            self.p = p
            self.saltLength = saltLength
            self.hashLength = hashLength
        }

        /// OWASP's scrypt recommendation (the default).
        public static let owasp = Parameters()
    }
}
