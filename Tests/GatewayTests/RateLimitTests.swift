import ERPProtocol
import ERPTestSupport
import Foundation
import Testing

/// GCRA in Redis across gateway replicas, and what happens when Redis goes away.
@Suite("Gateway rate limits")
struct RateLimitTests {
    @Test("two gateways sharing Redis let exactly the organization's allowance through a 10x burst")
    func exactAcrossReplicas() async throws {
        let keys = try TestKeys()
        let upstream = try await TestServers.upstream(name: "svc", jwksFile: keys.jwksFile)
        let prefix = TestEnvironment.uniqueName("gwtest")
        let limit = 50
        let environment = [
            "GATEWAY_AUTH": "on", "AUTH_JWKS_URL": "\(TestServers.url(upstream))/.well-known/jwks.json",
            "GATEWAY_UPSTREAMS": "crm=\(TestServers.url(upstream))",
            "GATEWAY_RATE_LIMIT": "on", "REDIS_URL": TestEnvironment.redisURL, "GATEWAY_RATE_LIMIT_PREFIX": prefix,
            "GATEWAY_RATE_LIMIT_WINDOW_SECONDS": "3600", "GATEWAY_RATE_LIMIT_ORG": String(limit), "GATEWAY_RATE_LIMIT_USER": "100000",
        ]
        let first = try await TestServers.gateway(environment)
        let second = try await TestServers.gateway(environment)
        defer { [upstream, first, second].forEach { $0.stop() } }

        // Several users of one organization, so the organization's limit is the one that binds.
        let tenant = TenantID.random()
        let tokens = try (0..<5).map { _ in try keys.token(TestKeys.claims(tenant: tenant)) }
        let urls = [first, second].map { "\(TestServers.url($0))/api/v1/crm/echo" }
        let replies = try await withThrowingTaskGroup(of: [TestHTTP.Reply].self) { group in
            for worker in 0..<20 {
                group.addTask {
                    var replies: [TestHTTP.Reply] = []
                    for index in 0..<(10 * limit / 20) {
                        let url = urls[(worker + index) % 2]
                        replies.append(try await TestHTTP.request(url, headers: [("Authorization", "Bearer \(tokens[index % tokens.count])")]))
                    }
                    return replies
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(replies.count == 10 * limit)
        let allowed = replies.filter { $0.status == 200 }
        let limited = replies.filter { $0.status == 429 }
        // On failure, say what came back instead (e.g. 401 after a slow JWKS fetch, 503 from the limiter).
        let tally = Dictionary(grouping: replies) { "\($0.status) \($0.problemCode ?? "-")" }.mapValues(\.count)
        #expect(allowed.count == limit, "replies by status and problem code: \(tally)")
        #expect(limited.count == replies.count - limit, "replies by status and problem code: \(tally)")
        #expect(limited.allSatisfy { $0.problemCode == "rate_limited" && Int($0.headers.first(name: "retry-after") ?? "") ?? 0 >= 1 })
        #expect(allowed.allSatisfy { $0.headers.first(name: "ratelimit-limit") == String(limit) })
        let remaining = Set(allowed.compactMap { Int($0.headers.first(name: "ratelimit-remaining") ?? "") })
        #expect(remaining == Set(0..<limit), "each allowed request saw a distinct remaining count")
    }

    @Test("anonymous callers are limited per IP, tighter on login")
    func anonymousPerIP() async throws {
        let upstream = try await TestServers.upstream(name: "auth")
        let gateway = try await TestServers.gateway([
            "GATEWAY_UPSTREAMS": "auth=\(TestServers.url(upstream))", "GATEWAY_RATE_LIMIT": "on", "REDIS_URL": TestEnvironment.redisURL,
            "GATEWAY_RATE_LIMIT_PREFIX": TestEnvironment.uniqueName("gwtest"), "GATEWAY_RATE_LIMIT_WINDOW_SECONDS": "3600",
            "GATEWAY_RATE_LIMIT_IP": "10", "GATEWAY_RATE_LIMIT_IP_SENSITIVE": "3",
        ])
        defer { [upstream, gateway].forEach { $0.stop() } }
        let login = "\(TestServers.url(gateway))/api/v1/auth/sessions"
        var statuses: [Int] = []
        for _ in 0..<5 {
            statuses.append(try await TestHTTP.request(login, method: .POST, body: Data("{}".utf8)).status)
        }
        #expect(statuses == [200, 200, 200, 429, 429])
        // Other public routes have their own, looser allowance.
        #expect(try await TestHTTP.request("\(TestServers.url(gateway))/api/v1/auth/tokens/refresh", method: .POST, body: Data("{}".utf8)).status == 200)
    }

    @Test("Redis down: fail-open limits locally, fail-closed answers 503; both recover when Redis returns")
    func redisOutage() async throws {
        let redis = try TemporaryRedisServer()
        defer { redis.cleanup() }
        let upstream = try await TestServers.upstream(name: "svc")
        let common = [
            "GATEWAY_UPSTREAMS": "svc=\(TestServers.url(upstream))", "GATEWAY_RATE_LIMIT": "on", "REDIS_URL": redis.url,
            "GATEWAY_RATE_LIMIT_WINDOW_SECONDS": "3600", "GATEWAY_RATE_LIMIT_IP": "5", "GATEWAY_RATE_LIMIT_REDIS_BACKOFF_MS": "200",
        ]
        let open = try await TestServers.gateway(common.merging(["GATEWAY_RATE_LIMIT_PREFIX": "open"]) { $1 })
        let closed = try await TestServers.gateway(
            common.merging(["GATEWAY_RATE_LIMIT_PREFIX": "closed", "GATEWAY_RATE_LIMIT_FAILURE_MODE": "closed"]) { $1 })
        defer { [upstream, open, closed].forEach { $0.stop() } }
        let openURL = "\(TestServers.url(open))/api/v1/svc/echo"
        let closedURL = "\(TestServers.url(closed))/api/v1/svc/echo"

        #expect(try await TestHTTP.request(openURL).status == 200)
        #expect(try await TestHTTP.request(closedURL).status == 200)
        #expect(try await TestHTTP.request(closedURL).headers.first(name: "ratelimit-remaining") == "3")

        try redis.stop()
        let refused = try await TestHTTP.request(closedURL)
        #expect(refused.status == 503)
        #expect(refused.problemCode == "rate_limiter_unavailable")
        // Fail-open: the in-process limiter takes over with the same allowance.
        var statuses: [Int] = []
        for _ in 0..<6 { statuses.append(try await TestHTTP.request(openURL).status) }
        #expect(statuses == [200, 200, 200, 200, 200, 429])

        try redis.start()
        // Back on Redis (a fresh, empty one): the shared limits apply again.
        try await waitUntil { try await TestHTTP.request(closedURL).status == 200 }
        // The open gateway's local allowance is spent; a 200 means it counts in Redis again.
        try await waitUntil { try await TestHTTP.request(openURL).status == 200 }
        var afterRestart: [Int] = []
        for _ in 0..<6 { afterRestart.append(try await TestHTTP.request(closedURL).status) }
        #expect(afterRestart.filter { $0 == 429 }.count >= 1)
    }
}
