import Foundation

/// A public key in JWK form (RFC 7517), as published by erp-auth in its JWKS.
///
/// The suite signs with Ed25519 only, so the members are those of an OKP key (RFC 8037):
/// `{"alg":"EdDSA","crv":"Ed25519","kid":"…","kty":"OKP","use":"sig","x":"<base64url public key>"}`.
/// `kid` is required because verifiers pick the key by the token header's `kid` during key rotation.
public struct JSONWebKey: Hashable, Sendable, Codable {
    /// Key type: `OKP`.
    public var kty: String
    /// Curve: `Ed25519`.
    public var crv: String
    /// The public key, base64url without padding.
    public var x: String
    /// Key id, matched against the JWT header's `kid`.
    public var kid: String
    /// Algorithm: `EdDSA`.
    public var alg: String?
    /// Intended use: `sig`.
    public var use: String?

    /// Every member as given.
    public init(kty: String, crv: String, x: String, kid: String, alg: String? = "EdDSA", use: String? = "sig") {
        self.kty = kty
        self.crv = crv
        self.x = x
        self.kid = kid
        self.alg = alg
        self.use = use
    }

    /// An Ed25519 signing key from its 32 raw public-key bytes.
    public static func ed25519(publicKey: some Sequence<UInt8>, kid: String) -> JSONWebKey {
        JSONWebKey(kty: "OKP", crv: "Ed25519", x: Base64URL.encode(publicKey), kid: kid)
    }

    /// The raw Ed25519 public key, or `nil` if this is not a well-formed Ed25519 signing key
    /// (wrong type, curve or algorithm, bad base64url, or not 32 bytes).
    public var ed25519PublicKey: Data? {
        guard kty == "OKP", crv == "Ed25519", alg == nil || alg == "EdDSA", use == nil || use == "sig",
            let bytes = Base64URL.decode(x), bytes.count == 32
        else { return nil }
        return bytes
    }
}
