import Foundation
import NIOCore
import Testing

@testable import GatewayService

/// The gateway's pure parts: configuration parsing, route mapping, GCRA arithmetic, RESP.
@Suite("Gateway units")
struct GatewayUnitTests {
    @Test("GATEWAY_UPSTREAMS and route timeouts parse; bad entries are refused")
    func configurationParsing() throws {
        let upstreams = try GatewayConfiguration.parseUpstreams("auth=http://a:8081|http://b:8081, crm=http://c:8083")
        #expect(upstreams["auth"] == ["http://a:8081", "http://b:8081"])
        #expect(upstreams["crm"] == ["http://c:8083"])
        #expect(throws: GatewayConfiguration.Invalid.self) { try GatewayConfiguration.parseUpstreams("auth") }
        let timeouts = try GatewayConfiguration.routeTimeouts("/api/v1/ai/chat=300000,/api/v1/file=120000")
        #expect(timeouts == [RouteTimeout(prefix: "/api/v1/ai/chat", milliseconds: 300_000), RouteTimeout(prefix: "/api/v1/file", milliseconds: 120_000)])
        #expect(throws: GatewayConfiguration.Invalid.self) { try GatewayConfiguration.routeTimeouts("ai=5") }
        #expect(throws: GatewayConfiguration.Invalid.self) { try InstanceAddress(url: "ftp://files:21") }
        #expect(try InstanceAddress(url: "https://secure") == InstanceAddress(host: "secure", port: 443, usesTLS: true))
        #expect(try InstanceAddress(url: "https://secure:8443").baseURL == "https://secure:8443")
        #expect(try InstanceAddress(url: "http://10.0.0.1:8083") == InstanceAddress(host: "10.0.0.1", port: 8083))
        #expect(PublicRoute(parsing: "GET /api/v1/crm/forms/*") == PublicRoute(method: "GET", path: "/api/v1/crm/forms/", isPrefix: true))
        #expect(PublicRoute(parsing: "nonsense") == nil)
    }

    @Test("public paths map to service paths; dot segments are refused")
    func routeMapping() throws {
        var configuration = GatewayConfiguration(
            service: .init(service: .gateway, port: 8080),
            upstreams: [UpstreamDefinition(service: "auth", instances: ["http://a:1"]), UpstreamDefinition(service: "crm", instances: ["http://c:2"])],
            rateLimit: RateLimitSettings(enabled: false))
        configuration.routeTimeouts = [RouteTimeout(prefix: "/api/v1/crm/reports", milliseconds: 99)]
        let table = RouteTable(configuration: configuration)
        func resolve(_ method: String, _ uri: String) -> ResolvedRoute? { try? table.resolve(method: method, uri: uri).get() }

        #expect(resolve("GET", "/api/v1/crm/leads/7?x=1")?.upstreamURI == "/v1/leads/7?x=1")
        #expect(resolve("GET", "/api/v1/crm")?.upstreamURI == "/v1")
        #expect(resolve("GET", "/api/v1/crm/openapi.yaml")?.upstreamURI == "/openapi.yaml")
        #expect(resolve("GET", "/api/v1/crm/openapi.yaml")?.isPublic == true)
        #expect(resolve("GET", "/api/v1/auth/.well-known/jwks.json")?.upstreamURI == "/.well-known/jwks.json")
        #expect(resolve("GET", "/.well-known/jwks.json")?.service.name == "auth")
        #expect(resolve("POST", "/api/v1/auth/sessions")?.isPublic == true)
        #expect(resolve("POST", "/api/v1/auth/sessions")?.isSensitive == true)
        #expect(resolve("GET", "/api/v1/auth/sessions")?.isPublic == false)
        #expect(resolve("GET", "/api/v1/crm/reports/x")?.timeoutMilliseconds == 99)
        #expect(resolve("GET", "/api/v1/crm/leads")?.timeoutMilliseconds == 30_000)
        for bad in ["/api/v1/crm/../auth/x", "/api/v1/crm/%2E%2E/x", "/api/v1/crm/a%2fb", "/api/v1/crm/./x"] {
            #expect(throws: RouteTable.Failure.badPath) { try table.resolve(method: "GET", uri: bad).get() }
        }
        #expect(throws: RouteTable.Failure.notFound) { try table.resolve(method: "GET", uri: "/api/v1/nope/x").get() }
    }

    @Test("the in-process GCRA allows a window's burst, then refuses with a retry time")
    func localLimiter() {
        let limiter = LocalRateLimiter()
        let rule = RateLimitRule(key: "k", limit: 3, windowSeconds: 60)
        let now: Int64 = 1_000_000_000
        var remaining: [Int] = []
        for _ in 0..<3 {
            guard case .allowed(let status) = limiter.check([rule], now: now) else {
                Issue.record("refused within the burst")
                return
            }
            remaining.append(status.remaining)
        }
        #expect(remaining == [2, 1, 0])
        guard case .limited(_, let retryAfter) = limiter.check([rule], now: now) else {
            Issue.record("allowed beyond the burst")
            return
        }
        #expect(retryAfter == 20)
        // One emission interval later, one more request fits.
        if case .limited = limiter.check([rule], now: now + 20_000_000) { Issue.record("not refilled") }
    }

    @Test("RESP replies parse, incomplete input waits for more")
    func resp() throws {
        var buffer = ByteBuffer(string: "*5\r\n:1\r\n:49\r\n:72000\r\n:0\r\n$2\r\nok\r\n")
        guard case .array(let values?) = try RESPDecoder.parse(&buffer) else {
            Issue.record("no array")
            return
        }
        #expect(values.map(\.integer) == [1, 49, 72000, 0, nil])
        #expect(values[4].string == "ok")
        var partial = ByteBuffer(string: "*2\r\n:1\r\n$5\r\nab")
        #expect(try RESPDecoder.parse(&partial) == nil)
        var error = ByteBuffer(string: "-NOSCRIPT No matching script\r\n")
        guard case .error(let message) = try RESPDecoder.parse(&error) else {
            Issue.record("no error")
            return
        }
        #expect(message.hasPrefix("NOSCRIPT"))
    }
}
