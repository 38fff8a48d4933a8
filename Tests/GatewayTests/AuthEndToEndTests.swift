import ERPCrypto
import ERPServiceKit
import ERPTestSupport
import Foundation
import Testing

/// The real erp-auth binary (its own schema in the stack's `erp_test` database, the stack's
/// Redis and Kafka) behind a real erp-gateway: every call goes through the gateway's port.
@Suite("Gateway end to end with erp-auth")
struct AuthEndToEndTests {
    @Test("sign-up, login, /me, refresh, the merged document — through the gateway; no token is 401 at the gateway")
    func throughGateway() async throws {
        let schema = try await TestSchema.create("gwauth")
        let auth = try await TestServers.auth(schema: schema, name: "gwauth")
        let authURL = TestServers.url(auth)
        let gateway = try await TestServers.gateway([
            "GATEWAY_AUTH": "on", "AUTH_JWKS_URL": "\(authURL)/.well-known/jwks.json", "GATEWAY_UPSTREAMS": "auth=\(authURL)",
            "GATEWAY_RATE_LIMIT": "on", "REDIS_URL": TestEnvironment.redisURL, "GATEWAY_RATE_LIMIT_PREFIX": TestEnvironment.uniqueName("gwtest"),
        ])
        defer {
            gateway.stop()
            auth.stop()
        }
        let base = "\(TestServers.url(gateway))/api/v1/auth"
        let email = "owner-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let password = "Tangerine-Violin-7781-Quartz"
        func json(_ object: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: object) }
        let contentType = [("Content-Type", "application/json")]

        let registered = try await TestHTTP.request(
            "\(base)/organizations", method: .POST, headers: contentType,
            body: try json(["organization": ["name": "Gateway E2E"], "owner": ["email": email, "password": password, "name": "Owner"]]))
        #expect(registered.status == 201, "\(String(decoding: registered.body, as: UTF8.self))")
        #expect((registered.json["tokens"] as? [String: Any])?["accessToken"] is String)

        let login = try await TestHTTP.request(
            "\(base)/sessions", method: .POST, headers: contentType, body: try json(["email": email, "password": password]))
        #expect(login.status == 200 || login.status == 201, "\(String(decoding: login.body, as: UTF8.self))")
        let access = try #require(login.json["accessToken"] as? String)
        let refresh = try #require(login.json["refreshToken"] as? String)

        let me = try await TestHTTP.request("\(base)/me", headers: [("Authorization", "Bearer \(access)")])
        #expect(me.status == 200)
        #expect(me.json["email"] as? String == email)
        #expect(me.headers.first(name: "ratelimit-limit") != nil, "limited per organization and user at the gateway")

        let refreshed = try await TestHTTP.request(
            "\(base)/tokens/refresh", method: .POST, headers: contentType, body: try json(["refreshToken": refresh]))
        #expect(refreshed.status == 200)
        let newAccess = try #require(refreshed.json["accessToken"] as? String)
        #expect(refreshed.json["refreshToken"] as? String != refresh, "rotated")
        #expect(try await TestHTTP.request("\(base)/me", headers: [("Authorization", "Bearer \(newAccess)")]).status == 200)

        let anonymous = try await TestHTTP.request("\(base)/me")
        #expect(anonymous.status == 401)
        #expect(anonymous.problemCode == "unauthorized")
        #expect(anonymous.headers.first(name: "www-authenticate")?.hasPrefix("Bearer") == true)
        let forged = try AccessTokenSigner(key: .generate(), kid: "not-auths").sign(TestKeys.claims())
        #expect(try await TestHTTP.request("\(base)/me", headers: [("Authorization", "Bearer \(forged)")]).status == 401)

        // The auth service's YAML document, merged.
        let document = try await TestHTTP.request("\(TestServers.url(gateway))/api/openapi.json")
        let paths = (document.json["paths"] as? [String: Any]) ?? [:]
        #expect(paths["/api/v1/auth/sessions"] != nil && paths["/api/v1/auth/me"] != nil)
        try? await schema.drop()
    }
}
