import ERPProtocol
import ERPServiceKit
import Foundation

/// A signing key of the benchmark's own, published as a JWKS file that erp-test-upstream serves
/// (`--jwks-file`), so the processes under test verify tokens the benchmark mints.
struct BenchSigner {
    let signer = AccessTokenSigner(key: .generate(), kid: "bench-\(UUID().uuidString.prefix(8))")
    let jwksFile: URL

    init(directory: URL) throws {
        jwksFile = directory.appendingPathComponent("jwks.json")
        try ERPJSON.encode(JSONWebKeySet(keys: [signer.publicJWK])).write(to: jwksFile)
    }

    /// An hour-long token for `subject` in `organization` (`.platform` for a service's own token).
    func token(subject: String, organization: TenantID, roles: [String], kind: AccessTokenClaims.Kind) throws -> String {
        let now = Date()
        return try signer.sign(AccessTokenClaims(
            sub: subject, org: organization, roles: roles, perms: [], iss: "erp-auth", aud: .init("erp"),
            exp: now.addingTimeInterval(3600), iat: now, jti: UUID().uuidString, kind: kind
        ))
    }
}
