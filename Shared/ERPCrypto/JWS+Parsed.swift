extension JWS {
    /// The decoded parts of a compact JWS. Nothing in it is verified yet.
    public struct Parsed: Sendable, Hashable {
        /// The protected header as JSON bytes.
        public let headerJSON: [UInt8]
        /// The payload bytes (for a JWT, the claims JSON).
        public let payload: [UInt8]
        /// The ASCII bytes `BASE64URL(header).BASE64URL(payload)` the signature covers.
        public let signingInput: [UInt8]
        /// The signature bytes (64 for EdDSA).
        public let signature: [UInt8]
    }
}
