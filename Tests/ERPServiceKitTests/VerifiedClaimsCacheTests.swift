import ERPCrypto
import ERPProtocol
import ERPServiceKit
import Foundation
import Synchronization
import Testing

/// The verifier's cache of verified tokens: a hit skips the signature, never the lifetime or
/// the key's presence; anything not byte-identical to a verified token is verified in full.
@Suite("Verified-token cache")
struct VerifiedClaimsCacheTests {
    /// Keys that the test can swap or withdraw between calls.
    final class MutableKeys: VerificationKeyProvider {
        let keys: Mutex<[String: Ed25519.PublicKey]>

        init(_ keys: [String: Ed25519.PublicKey]) {
            self.keys = Mutex(keys)
        }

        func key(for kid: String) async throws -> Ed25519.PublicKey? {
            keys.withLock { $0[kid] }
        }

        func set(_ kid: String, _ key: Ed25519.PublicKey?) {
            keys.withLock { $0[kid] = key }
        }
    }

    func verifier(_ keys: MutableKeys, cache: VerifiedClaimsCache) -> AccessTokenVerifier {
        AccessTokenVerifier(keys: keys, issuer: TestTokens.issuer, audience: TestTokens.audience, cache: cache)
    }

    @Test("a verified token is served from the cache: its signature is not checked again")
    func hitSkipsSignature() async throws {
        let keys = MutableKeys(["key-1": TestTokens.trustedKey.publicKey])
        let cache = VerifiedClaimsCache()
        let verifier = verifier(keys, cache: cache)
        let claims = TestTokens.claims()
        let token = try TestTokens.token(claims)
        #expect(try await verifier.verify(token).jti == claims.jti)
        #expect(cache.count == 1)
        // With the published key replaced, only a cache hit can still accept the token.
        keys.set("key-1", TestTokens.attackerKey.publicKey)
        #expect(try await verifier.verify(token).jti == claims.jti)
        let uncached = AccessTokenVerifier(keys: keys, issuer: TestTokens.issuer, audience: TestTokens.audience)
        await #expect(throws: AuthenticationError.badSignature) { try await uncached.verify(token) }
    }

    @Test("a cached token still expires, and dies with its key")
    func lifetimeAndKeyStillChecked() async throws {
        let keys = MutableKeys(["key-1": TestTokens.trustedKey.publicKey])
        let cache = VerifiedClaimsCache()
        let verifier = verifier(keys, cache: cache)
        let token = try TestTokens.token(TestTokens.claims(expiresIn: 60))
        _ = try await verifier.verify(token)
        // 60 s lifetime + 30 s leeway: two minutes on, the cached token is expired.
        await #expect(throws: AuthenticationError.expired) { try await verifier.verify(token, now: Date().addingTimeInterval(120)) }
        #expect(try await verifier.verify(token).exp > Date())
        // The issuer withdraws the key: the cached token is refused and forgotten.
        keys.set("key-1", nil)
        await #expect(throws: AuthenticationError.unknownKey) { try await verifier.verify(token) }
        #expect(cache.count == 0)
    }

    @Test("forged, tampered and never-verified tokens gain nothing from a cached sibling")
    func onlyIdenticalTokensHit() async throws {
        let keys = MutableKeys(["key-1": TestTokens.trustedKey.publicKey])
        let cache = VerifiedClaimsCache()
        let verifier = verifier(keys, cache: cache)
        let token = try TestTokens.token()
        _ = try await verifier.verify(token)
        await #expect(throws: AuthenticationError.badSignature) { try await verifier.verify(try TestTokens.forgedToken()) }
        await #expect(throws: AuthenticationError.self) { try await verifier.verify(try TestTokens.unsignedToken()) }
        var tampered = Array(token.utf8)
        tampered[tampered.count - 3] = tampered[tampered.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        await #expect(throws: AuthenticationError.self) { try await verifier.verify(String(decoding: tampered, as: UTF8.self)) }
        // A token that failed (expired on arrival) is not cached.
        let expired = try TestTokens.token(TestTokens.claims(expiresIn: -120))
        await #expect(throws: AuthenticationError.expired) { try await verifier.verify(expired) }
        #expect(cache.count == 1)
    }

    @Test("the cache is bounded: when full, expired entries go first, then everything")
    func bounded() async throws {
        let keys = MutableKeys(["key-1": TestTokens.trustedKey.publicKey])
        let cache = VerifiedClaimsCache(capacity: 3)
        let verifier = verifier(keys, cache: cache)
        for _ in 0..<3 { _ = try await verifier.verify(try TestTokens.token()) }
        #expect(cache.count == 3)
        _ = try await verifier.verify(try TestTokens.token())
        #expect(cache.count == 1, "none had expired, so the full table was cleared for the new one")
    }
}
