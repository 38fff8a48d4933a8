/// A JWK Set (RFC 7517 §5): `{"keys":[…]}`, served by erp-auth at its JWKS endpoint and
/// cached by every verifier. During rotation it holds the new and the previous key.
public struct JSONWebKeySet: Hashable, Sendable, Codable {
    /// The keys, newest first by convention.
    public var keys: [JSONWebKey]

    /// A set of keys.
    public init(keys: [JSONWebKey]) {
        self.keys = keys
    }

    /// The key with this `kid`, if published.
    public func key(withID kid: String) -> JSONWebKey? {
        keys.first { $0.kid == kid }
    }
}
