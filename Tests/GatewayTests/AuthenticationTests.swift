import ERPCrypto
import ERPServiceKit
import Foundation
import Testing

/// Bearer tokens checked at the edge, against a JWKS served by a real process.
@Suite("Gateway authentication")
struct AuthenticationTests {
    @Test("bad tokens are refused with 401 before the service; valid and public ones pass")
    func tokens() async throws {
        let keys = try TestKeys()
        let upstream = try await TestServers.upstream(name: "svc", jwksFile: keys.jwksFile)
        let gateway = try await TestServers.gateway([
            "GATEWAY_AUTH": "on",
            "AUTH_JWKS_URL": "\(TestServers.url(upstream))/.well-known/jwks.json",
            "GATEWAY_UPSTREAMS": "auth=\(TestServers.url(upstream)),crm=\(TestServers.url(upstream))",
        ])
        defer { [upstream, gateway].forEach { $0.stop() } }
        let url = "\(TestServers.url(gateway))/api/v1/crm/echo"

        let token = try keys.token()
        let good = try await TestHTTP.request(url, headers: [("Authorization", "Bearer \(token)")])
        #expect(good.status == 200)
        #expect(good.echoedHeaders["authorization"] == "Bearer \(token)", "the token is forwarded unchanged")
        // Served from the verified-token cache the second time.
        #expect(try await TestHTTP.request(url, headers: [("Authorization", "Bearer \(token)")]).status == 200)

        let tampered = String(token.dropLast(2)) + (token.hasSuffix("AA") ? "BB" : "AA")
        let expired = try keys.token(TestKeys.claims(expiresIn: -120))
        let unknownKid = try AccessTokenSigner(key: .generate(), kid: "kid-nobody-knows").sign(TestKeys.claims())
        let sameKidOtherKey = try AccessTokenSigner(key: .generate(), kid: keys.signer.kid).sign(TestKeys.claims())
        let refused: [(String, [(String, String)])] = [
            ("missing", []),
            ("not bearer", [("Authorization", "Basic dXNlcjpwYXNz")]),
            ("garbage", [("Authorization", "Bearer not.a.jwt")]),
            ("alg none", [("Authorization", "Bearer \(try keys.unsignedToken())")]),
            ("expired", [("Authorization", "Bearer \(expired)")]),
            ("tampered", [("Authorization", "Bearer \(tampered)")]),
            ("unknown kid", [("Authorization", "Bearer \(unknownKid)")]),
            ("forged", [("Authorization", "Bearer \(sameKidOtherKey)")]),
        ]
        for (name, headers) in refused {
            let reply = try await TestHTTP.request(url, headers: headers)
            #expect(reply.status == 401, "\(name)")
            #expect(reply.problemCode == "unauthorized", "\(name)")
            #expect(reply.headers.first(name: "www-authenticate")?.hasPrefix("Bearer") == true, "\(name)")
        }

        // Public routes need no token (login, sign-up, JWKS, documents).
        let login = try await TestHTTP.request(
            "\(TestServers.url(gateway))/api/v1/auth/sessions", method: .POST, body: Data(#"{"email":"a@b.c"}"#.utf8))
        #expect(login.status == 200)
        #expect(login.json["uri"] as? String == "/v1/sessions")
        #expect(try await TestHTTP.request("\(TestServers.url(gateway))/.well-known/jwks.json").status == 200)
        #expect(try await TestHTTP.request("\(TestServers.url(gateway))/api/v1/crm/openapi.yaml").status == 200)
        // …but only with the allow-listed method.
        #expect(try await TestHTTP.request("\(TestServers.url(gateway))/api/v1/auth/sessions").status == 401)
    }

    @Test("a rotated key is fetched on its first unknown kid; refreshes are rate limited")
    func keyRotation() async throws {
        let keys = try TestKeys()
        let upstream = try await TestServers.upstream(name: "svc", jwksFile: keys.jwksFile)
        let gateway = try await TestServers.gateway([
            "GATEWAY_AUTH": "on", "GATEWAY_JWKS_MIN_REFRESH_MS": "1000",
            "AUTH_JWKS_URL": "\(TestServers.url(upstream))/.well-known/jwks.json",
            "GATEWAY_UPSTREAMS": "crm=\(TestServers.url(upstream))",
        ])
        defer { [upstream, gateway].forEach { $0.stop() } }
        let url = "\(TestServers.url(gateway))/api/v1/crm/echo"
        func fetches() async throws -> Int {
            try await TestHTTP.request("\(TestServers.url(upstream))/v1/stats").json["jwksFetches"] as? Int ?? -1
        }

        #expect(try await TestHTTP.request(url, headers: [("Authorization", "Bearer \(try keys.token())")]).status == 200)
        let before = try await fetches()
        // A flood of invented kids costs at most one fetch per refresh gap (the bound follows the
        // time the flood took, so a loaded machine does not fail it; unlimited would be 20).
        let start = ContinuousClock.now
        for index in 0..<20 {
            let token = try AccessTokenSigner(key: .generate(), kid: "invented-\(index)").sign(TestKeys.claims())
            #expect(try await TestHTTP.request(url, headers: [("Authorization", "Bearer \(token)")]).status == 401)
        }
        let gaps = Int((ContinuousClock.now - start) / .seconds(1))
        #expect(try await fetches() - before <= 1 + gaps)

        let rotated = AccessTokenSigner(key: .generate(), kid: "rotated-key")
        try keys.publish([keys.signer, rotated])
        try await Task.sleep(for: .milliseconds(1100))
        let fresh = try rotated.sign(TestKeys.claims())
        #expect(try await TestHTTP.request(url, headers: [("Authorization", "Bearer \(fresh)")]).status == 200)
    }
}
