import AsyncHTTPClient
import ERPCrypto
import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import ERPTestSupport
import Testing

@Suite("JWKS cache against a real key endpoint")
struct JWKSCacheTests {
    /// A key endpoint whose key set can be rotated, counting how often it is fetched.
    final class KeyEndpoint: Sendable {
        let keys: Mutex<JSONWebKeySet>
        let fetches = Mutex(0)

        init(_ keys: [JSONWebKey]) {
            self.keys = Mutex(JSONWebKeySet(keys: keys))
        }

        func application() -> some ApplicationProtocol {
            let router = Router()
            router.get("/.well-known/jwks.json") { _, _ -> Response in
                self.fetches.withLock { $0 += 1 }
                let body = try ERPJSON.encode(self.keys.withLock { $0 })
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }
    }

    static let first = AccessTokenSigner(key: try! Ed25519.PrivateKey(seed: Array(repeating: 1, count: 32)), kid: "k1")
    static let second = AccessTokenSigner(key: try! Ed25519.PrivateKey(seed: Array(repeating: 2, count: 32)), kid: "k2")

    @Test("verifies with fetched keys, picks up a rotated key on an unknown kid, and caps refreshes")
    func rotation() async throws {
        let endpoint = KeyEndpoint([Self.first.publicJWK])
        try await endpoint.application().test(.live) { client in
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = http.shutdown() }
            let cache = JWKSCache(
                url: "http://127.0.0.1:\(client.port!)/.well-known/jwks.json", httpClient: http,
                minimumRefreshGap: .milliseconds(300), logger: Logger(label: "jwks-test")
            )
            let verifier = AccessTokenVerifier(keys: cache, issuer: TestTokens.issuer, audience: TestTokens.audience)

            let claims = TestTokens.claims()
            #expect(try await verifier.verify(try Self.first.sign(claims)).jti == claims.jti)
            #expect(try await verifier.verify(try Self.first.sign(claims)).jti == claims.jti)
            #expect(endpoint.fetches.withLock { $0 } == 1, "a known kid is served from the cache")

            // The auth service rotates: k2 signs, k1 still verifies.
            endpoint.keys.withLock { $0 = JSONWebKeySet(keys: [Self.first.publicJWK, Self.second.publicJWK]) }
            try await Task.sleep(for: .milliseconds(350))
            #expect(try await verifier.verify(try Self.second.sign(claims)).jti == claims.jti)
            #expect(endpoint.fetches.withLock { $0 } == 2)

            // Invented kids cannot turn into a flood of fetches: at most one per refresh gap.
            // The bound follows the time the flood took, so a loaded machine does not fail the
            // test; without the gap, every one of the 20 would fetch.
            let forged = try AccessTokenSigner(key: TestTokens.attackerKey, kid: "invented").sign(claims)
            let start = ContinuousClock.now
            for _ in 0..<20 {
                await #expect(throws: AuthenticationError.unknownKey) { try await verifier.verify(forged) }
            }
            let gaps = Int((ContinuousClock.now - start) / .milliseconds(300))
            #expect(endpoint.fetches.withLock { $0 } <= 3 + gaps)
        }
    }

    @Test("with the key endpoint down and no keys known, verification is a 503, not a 401")
    func keysUnavailable() async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .milliseconds(300))))
        defer { _ = http.shutdown() }
        let cache = JWKSCache(url: "http://127.0.0.1:\(FreePort.find())/.well-known/jwks.json", httpClient: http, logger: Logger(label: "jwks-test"))
        let verifier = AccessTokenVerifier(keys: cache, issuer: TestTokens.issuer, audience: TestTokens.audience)
        do {
            _ = try await verifier.verify(try Self.first.sign(TestTokens.claims()))
            Issue.record("expected keysUnavailable")
        } catch let error as AuthenticationError {
            #expect(error == .keysUnavailable)
            #expect(error.problem.status == 503)
        }
    }
}
