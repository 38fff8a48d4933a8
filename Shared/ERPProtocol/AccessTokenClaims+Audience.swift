extension AccessTokenClaims {
    /// The JWT `aud` claim: one audience or several.
    ///
    /// RFC 7519 lets `aud` be a string or an array of strings; both decode. One audience
    /// encodes as a plain string (what most verifiers expect), several as an array.
    public struct Audience: Hashable, Sendable, Codable, ExpressibleByStringLiteral {
        /// The audiences, in claim order.
        public var values: [String]

        /// A single audience.
        public init(_ value: String) { values = [value] }
        /// Several audiences.
        public init(_ values: [String]) { self.values = values }
        public init(stringLiteral value: String) { values = [value] }

        /// Whether `audience` is one of the values (what a verifier checks).
        public func contains(_ audience: String) -> Bool { values.contains(audience) }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let single = try? container.decode(String.self) {
                values = [single]
            } else {
                values = try container.decode([String].self)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            if values.count == 1 {
                try container.encode(values[0])
            } else {
                try container.encode(values)
            }
        }
    }
}
