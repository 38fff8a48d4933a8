import ERPCrypto
import ERPProtocol
import Foundation

/// Checks an access token the way every service must: EdDSA only (so `alg: none` and HS256
/// key-confusion tricks fail before any key is looked at), a known `kid`, a valid signature,
/// then issuer, audience and lifetime.
public struct AccessTokenVerifier: Sendable {
    public let keys: any VerificationKeyProvider
    public let issuer: String
    public let audience: String
    /// Tolerance for clock differences between the auth service and us.
    public let leeway: TimeInterval
    /// Tokens already verified (nil: every call checks the signature).
    public let cache: VerifiedClaimsCache?

    public init(
        keys: any VerificationKeyProvider, issuer: String, audience: String, leeway: TimeInterval = 30, cache: VerifiedClaimsCache? = nil
    ) {
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.cache = cache
    }

    private struct Header: Decodable {
        let alg: String
        let kid: String?
    }

    public func verify(_ token: String, now: Date = Date()) async throws -> AccessTokenClaims {
        if let cache, let entry = cache.entry(for: token) {
            // Signature, issuer and audience were checked when it was cached; time moves on and
            // keys are withdrawn, so those are checked again.
            guard try await keys.key(for: entry.kid) != nil else {
                cache.remove(token)
                throw AuthenticationError.unknownKey
            }
            try checkLifetime(entry.claims, now: now)
            return entry.claims
        }
        let (claims, kid) = try await verifySignature(token)
        try checkLifetime(claims, now: now)
        cache?.insert(token, claims: claims, kid: kid, now: now)
        return claims
    }

    private func checkLifetime(_ claims: AccessTokenClaims, now: Date) throws {
        if let nbf = claims.nbf, now.addingTimeInterval(leeway) < nbf { throw AuthenticationError.notYetValid }
        guard now.addingTimeInterval(-leeway) < claims.exp else { throw AuthenticationError.expired }
    }

    /// Everything that does not change with time: form, algorithm, key, signature, issuer, audience.
    private func verifySignature(_ token: String) async throws -> (AccessTokenClaims, kid: String) {
        // Bound the work a garbage token can cause before we parse it.
        guard token.utf8.count <= 8192, let parsed = try? JWS.parse(token) else { throw AuthenticationError.malformedToken }
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(parsed.headerJSON)) else {
            throw AuthenticationError.malformedToken
        }
        guard header.alg == "EdDSA" else { throw AuthenticationError.unsupportedAlgorithm }
        guard let kid = header.kid, !kid.isEmpty else { throw AuthenticationError.unknownKey }
        guard let key = try await keys.key(for: kid) else { throw AuthenticationError.unknownKey }
        guard JWS.verifyEdDSA(parsed, key: key) else { throw AuthenticationError.badSignature }
        guard let claims = try? ERPJSON.decoder().decode(AccessTokenClaims.self, from: Data(parsed.payload)) else {
            throw AuthenticationError.malformedToken
        }
        guard claims.iss == issuer else { throw AuthenticationError.wrongIssuer }
        guard claims.aud.contains(audience) else { throw AuthenticationError.wrongAudience }
        return (claims, kid)
    }
}

/// Where verification keys come from: the auth service's JWKS in production, a fixed set in tests
/// of the auth service itself.
public protocol VerificationKeyProvider: Sendable {
    /// The key with this id, or nil if the issuer has no such key (after a refresh, where applicable).
    func key(for kid: String) async throws -> Ed25519.PublicKey?
}
