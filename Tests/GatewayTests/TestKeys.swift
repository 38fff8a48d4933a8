import ERPCrypto
import ERPProtocol
import ERPServiceKit
import Foundation

/// Signing keys for the gateway's tests and a JWKS file the test upstream serves.
final class TestKeys: Sendable {
    static let issuer = "erp-auth"
    static let audience = "erp"

    let signer = AccessTokenSigner(key: .generate(), kid: "kid-\(UUID().uuidString.prefix(8))")
    let jwksFile: String

    init() throws {
        jwksFile = FileManager.default.temporaryDirectory.appendingPathComponent("erp-jwks-\(UUID().uuidString).json").path
        try publish([signer])
    }

    deinit {
        try? FileManager.default.removeItem(atPath: jwksFile)
    }

    /// Rewrites the JWKS file with the public keys of `signers` (a key rotation).
    func publish(_ signers: [AccessTokenSigner]) throws {
        let data = try ERPJSON.encode(JSONWebKeySet(keys: signers.map(\.publicJWK)))
        try data.write(to: URL(fileURLWithPath: jwksFile), options: .atomic)
    }

    static func claims(tenant: TenantID = .random(), subject: String = UserID.random().description, expiresIn: TimeInterval = 300) -> AccessTokenClaims {
        let now = Date()
        return AccessTokenClaims(
            sub: subject, org: tenant, roles: ["User"], perms: ["crm.lead.read"], iss: issuer, aud: .init(audience),
            exp: now.addingTimeInterval(expiresIn), iat: now.addingTimeInterval(-1), jti: UUID().uuidString, kind: .user)
    }

    func token(_ claims: AccessTokenClaims = TestKeys.claims()) throws -> String {
        try signer.sign(claims)
    }

    /// `alg: none` with an empty signature, under our kid.
    func unsignedToken() throws -> String {
        let header = ERPCrypto.Base64URL.encode(Array(#"{"alg":"none","kid":"\#(signer.kid)","typ":"JWT"}"#.utf8))
        let payload = ERPCrypto.Base64URL.encode([UInt8](try ERPJSON.encode(Self.claims())))
        return "\(header).\(payload)."
    }
}
