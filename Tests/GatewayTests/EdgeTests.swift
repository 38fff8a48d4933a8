import Foundation
import Testing

/// CORS, request size limits and metrics at the edge.
@Suite("Gateway edge basics")
struct EdgeTests {
    @Test("CORS preflights are answered before authentication; every answer carries the CORS headers; 413; metrics")
    func edge() async throws {
        let keys = try TestKeys()
        let upstream = try await TestServers.upstream(name: "svc", jwksFile: keys.jwksFile)
        let gateway = try await TestServers.gateway([
            "GATEWAY_AUTH": "on", "AUTH_JWKS_URL": "\(TestServers.url(upstream))/.well-known/jwks.json",
            "GATEWAY_UPSTREAMS": "crm=\(TestServers.url(upstream))", "GATEWAY_CORS_ORIGINS": "https://app.example.com",
            "GATEWAY_MAX_BODY_BYTES": "1000",
        ])
        defer { [upstream, gateway].forEach { $0.stop() } }
        let url = "\(TestServers.url(gateway))/api/v1/crm/echo"
        let app = ("Origin", "https://app.example.com")

        let preflight = try await TestHTTP.request(
            url, method: .OPTIONS, headers: [app, ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "authorization")])
        #expect(preflight.status == 204)
        #expect(preflight.headers.first(name: "access-control-allow-origin") == "https://app.example.com")
        #expect(preflight.headers.first(name: "access-control-allow-methods")?.contains("POST") == true)
        #expect(preflight.headers.first(name: "access-control-allow-headers") == "authorization")

        let stranger = try await TestHTTP.request(
            url, method: .OPTIONS, headers: [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "GET")])
        #expect(stranger.headers.first(name: "access-control-allow-origin") == nil)

        let unauthorized = try await TestHTTP.request(url, headers: [app])
        #expect(unauthorized.status == 401)
        #expect(unauthorized.headers.first(name: "access-control-allow-origin") == "https://app.example.com")
        #expect(unauthorized.headers.first(name: "access-control-expose-headers")?.contains("X-Request-ID") == true)

        let token = try keys.token()
        let allowed = try await TestHTTP.request(url, headers: [app, ("Authorization", "Bearer \(token)")])
        #expect(allowed.status == 200)
        #expect(allowed.headers.first(name: "access-control-allow-origin") == "https://app.example.com")

        let tooLarge = try await TestHTTP.request(
            "\(TestServers.url(gateway))/api/v1/crm/sink", method: .POST, headers: [("Authorization", "Bearer \(token)")],
            body: Data(repeating: 7, count: 2000))
        #expect(tooLarge.status == 413)
        #expect(tooLarge.problemCode == "payload_too_large")
        let fits = try await TestHTTP.request(
            "\(TestServers.url(gateway))/api/v1/crm/sink", method: .POST, headers: [("Authorization", "Bearer \(token)")],
            body: Data(repeating: 7, count: 900))
        #expect(fits.json["bytes"] as? Int == 900)

        let metrics = String(decoding: try await TestHTTP.request("\(TestServers.url(gateway))/metrics").body, as: UTF8.self)
        let requestLines = metrics.split(separator: "\n").filter { $0.hasPrefix("erp_gateway_requests_total{") }
        #expect(requestLines.contains { $0.contains(#"service="crm""#) && $0.contains(#"status="200""#) })
        #expect(requestLines.contains { $0.contains(#"service="crm""#) && $0.contains(#"status="401""#) })
        #expect(metrics.contains("erp_gateway_request_duration_seconds"))
    }
}
