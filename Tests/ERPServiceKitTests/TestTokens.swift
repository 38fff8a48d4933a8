import ERPCrypto
import ERPProtocol
import ERPServiceKit
import Foundation

/// Signing material for middleware tests: a trusted key the verifier knows and an attacker's key.
enum TestTokens {
    static let issuer = "erp-auth"
    static let audience = "erp"
    static let trustedKey = try! Ed25519.PrivateKey(seed: Array(repeating: 7, count: 32))
    static let attackerKey = try! Ed25519.PrivateKey(seed: Array(repeating: 9, count: 32))
    static let signer = AccessTokenSigner(key: trustedKey, kid: "key-1")

    static var verifier: AccessTokenVerifier {
        AccessTokenVerifier(keys: StaticKeyProvider(keys: ["key-1": trustedKey.publicKey]), issuer: issuer, audience: audience)
    }

    static func claims(
        tenant: TenantID = .random(),
        perms: PermissionSet = ["crm.lead.read"],
        expiresIn: TimeInterval = 300,
        issuer: String = issuer,
        audience: String = audience
    ) -> AccessTokenClaims {
        let now = Date()
        return AccessTokenClaims(
            sub: UserID.random().description, org: tenant, roles: ["User"], perms: perms, iss: issuer,
            aud: .init(audience), exp: now.addingTimeInterval(expiresIn), iat: now.addingTimeInterval(-1),
            jti: UUID().uuidString, kind: .user
        )
    }

    static func token(_ claims: AccessTokenClaims = claims()) throws -> String {
        try signer.sign(claims)
    }

    /// The same claims signed by a key the verifier does not trust, under the trusted key's id.
    static func forgedToken() throws -> String {
        try AccessTokenSigner(key: attackerKey, kid: "key-1").sign(claims())
    }

    /// `alg: none` with an empty signature: the classic downgrade.
    static func unsignedToken() throws -> String {
        let header = ERPCrypto.Base64URL.encode(Array(#"{"alg":"none","kid":"key-1","typ":"JWT"}"#.utf8))
        let payload = ERPCrypto.Base64URL.encode([UInt8](try ERPJSON.encode(claims())))
        return "\(header).\(payload)."
    }
}
