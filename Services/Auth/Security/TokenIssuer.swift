import ERPProtocol
import ERPServiceKit
import Foundation

/// Signs the suite's access tokens with the active key.
struct TokenIssuer: Sendable {
    let keys: SigningKeyStore
    let issuer: String
    let audience: String
    let lifetime: Int

    func accessToken(
        subject: String, tenant: TenantID, roles: [String], permissions: PermissionSet, session: SessionID?, kind: AccessTokenClaims.Kind,
        now: Date = Date()
    ) async throws -> String {
        let issuedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let claims = AccessTokenClaims(
            sub: subject, org: tenant, roles: roles, perms: permissions, iss: issuer, aud: .init(audience),
            exp: issuedAt.addingTimeInterval(TimeInterval(lifetime)), iat: issuedAt, jti: UUID().uuidString.lowercased(), sid: session, kind: kind
        )
        return try await keys.currentSigner().sign(claims)
    }
}
