import ERPCrypto
import ERPProtocol
import Foundation

/// Signs access tokens (compact JWS, EdDSA over Ed25519) with a key identified by `kid`, the
/// counterpart of `AccessTokenVerifier`. The auth service owns the real keys.
public struct AccessTokenSigner: Sendable {
    public let key: Ed25519.PrivateKey
    public let kid: String

    public init(key: Ed25519.PrivateKey, kid: String) {
        self.key = key
        self.kid = kid
    }

    private struct Header: Encodable {
        let alg = "EdDSA"
        let kid: String
        let typ = "JWT"
    }

    public func sign(_ claims: AccessTokenClaims) throws -> String {
        let header = try ERPJSON.encode(Header(kid: kid))
        let payload = try ERPJSON.encode(claims)
        return try JWS.signEdDSA(header: [UInt8](header), payload: [UInt8](payload), key: key)
    }

    /// The public half in JWKS form.
    public var publicJWK: JSONWebKey {
        .ed25519(publicKey: key.publicKey.rawRepresentation, kid: kid)
    }
}
