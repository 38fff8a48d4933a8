import ERPKafka
import ERPProtocol
import ERPTestSupport
import Foundation
import Logging
import NIOHTTP1
import Testing

@testable import GatewayService

/// Organization limits from plan entitlements: a real test upstream plays erp-auth (platform
/// token grant) and erp-subscription (entitlements, written here with the shared contract type).
@Suite("Gateway plan-aware rate limits")
struct PlanRateLimitTests {
    @Test("requests per minute become requests per window, rounded up, at least one")
    func conversion() {
        #expect(PlanOrganizationLimits.requestsPerWindow(requestsPerMinute: 600, windowSeconds: 60) == 600)
        #expect(PlanOrganizationLimits.requestsPerWindow(requestsPerMinute: 600, windowSeconds: 3600) == 36_000)
        #expect(PlanOrganizationLimits.requestsPerWindow(requestsPerMinute: 100, windowSeconds: 1) == 2)
        #expect(PlanOrganizationLimits.requestsPerWindow(requestsPerMinute: 0, windowSeconds: 60) == 1)
        #expect(PlanOrganizationLimits.requestsPerWindow(requestsPerMinute: .max, windowSeconds: 60) > 1_000_000_000)
    }

    @Test("an organization whose plan allows 3 requests per minute gets 429 after them; another keeps the default")
    func planAllowance() async throws {
        let keys = try TestKeys()
        let small = TenantID.random()
        let other = TenantID.random()
        let (upstream, secret, directory) = try await Self.planUpstream(keys: keys, plans: [Self.entitlements(small, requestsPerMinute: 3)])
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = TestServers.url(upstream)
        let gateway = try await TestServers.gateway([
            "GATEWAY_AUTH": "on", "AUTH_JWKS_URL": "\(base)/.well-known/jwks.json", "GATEWAY_UPSTREAMS": "crm=\(base)",
            "GATEWAY_RATE_LIMIT": "on", "REDIS_URL": TestEnvironment.redisURL, "GATEWAY_RATE_LIMIT_PREFIX": TestEnvironment.uniqueName("gwplan"),
            "GATEWAY_RATE_LIMIT_WINDOW_SECONDS": "60", "GATEWAY_RATE_LIMIT_ORG": "1000", "GATEWAY_RATE_LIMIT_USER": "1000",
            "SUBSCRIPTION_URL": base, "AUTH_URL": base, "PLATFORM_CLIENT_SECRET": secret,
        ])
        defer { [upstream, gateway].forEach { $0.stop() } }
        let url = "\(TestServers.url(gateway))/api/v1/crm/echo"
        let smallToken = ("Authorization", "Bearer \(try keys.token(TestKeys.claims(tenant: small)))")
        let otherToken = ("Authorization", "Bearer \(try keys.token(TestKeys.claims(tenant: other)))")

        // First sight: the default applies at once while the plan is fetched in the background.
        let first = try await TestHTTP.request(url, headers: [smallToken])
        #expect(first.status == 200)
        #expect(first.headers.first(name: "ratelimit-limit") == "1000")
        // Within moments the plan's allowance binds: 3 per minute, then 429.
        var statuses: [Int] = []
        var limits: Set<String> = []
        try await waitUntil {
            let reply = try await TestHTTP.request(url, headers: [smallToken])
            statuses.append(reply.status)
            if let limit = reply.headers.first(name: "ratelimit-limit") { limits.insert(limit) }
            if reply.status == 429 { #expect(reply.problemCode == "rate_limited") }
            try await Task.sleep(for: .milliseconds(20))
            return reply.status == 429
        }
        #expect(statuses.last == 429)
        #expect(limits.contains("3"))
        #expect(statuses.filter { $0 == 200 }.count <= 6, "\(statuses)")

        // An organization without a plan (404) keeps the configured default.
        for _ in 0..<10 {
            let reply = try await TestHTTP.request(url, headers: [otherToken])
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "ratelimit-limit") == "1000")
        }
        let fetches = try await TestHTTP.request("\(base)/v1/stats").json["entitlementFetches"] as? Int ?? 0
        #expect(fetches >= 2 && fetches <= 4, "one fetch per organization within the TTL, got \(fetches)")
    }

    @Test("an unreachable subscription service leaves every organization on the default")
    func subscriptionDown() async throws {
        let keys = try TestKeys()
        let upstream = try await TestServers.upstream(name: "svc", jwksFile: keys.jwksFile)
        let base = TestServers.url(upstream)
        let nowhere = "http://127.0.0.1:\(FreePort.find())"
        let gateway = try await TestServers.gateway([
            "GATEWAY_AUTH": "on", "AUTH_JWKS_URL": "\(base)/.well-known/jwks.json", "GATEWAY_UPSTREAMS": "crm=\(base)",
            "GATEWAY_RATE_LIMIT": "on", "REDIS_URL": TestEnvironment.redisURL, "GATEWAY_RATE_LIMIT_PREFIX": TestEnvironment.uniqueName("gwplan"),
            "GATEWAY_RATE_LIMIT_ORG": "7", "GATEWAY_ENTITLEMENTS_TTL": "0.2",
            "SUBSCRIPTION_URL": nowhere, "AUTH_URL": nowhere, "PLATFORM_CLIENT_SECRET": "x",
        ])
        defer { [upstream, gateway].forEach { $0.stop() } }
        let token = ("Authorization", "Bearer \(try keys.token())")
        var statuses: [Int] = []
        for _ in 0..<9 {
            let reply = try await TestHTTP.request("\(TestServers.url(gateway))/api/v1/crm/echo", headers: [token])
            statuses.append(reply.status)
            if reply.status == 200 { #expect(reply.headers.first(name: "ratelimit-limit") == "7") }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(statuses == Array(repeating: 200, count: 7) + [429, 429])
    }

    @Test("an unpaid organization may read and pay, but every other write is refused at the edge with 403")
    func readOnlyPlan() async throws {
        let keys = try TestKeys()
        let unpaid = TenantID.random()
        let paying = TenantID.random()
        let (upstream, secret, directory) = try await Self.planUpstream(keys: keys, plans: [
            Self.entitlements(unpaid, requestsPerMinute: 600, status: "unpaid", readOnly: true), Self.entitlements(paying, requestsPerMinute: 600),
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = TestServers.url(upstream)
        // Rate limiting off: the read-only state comes from the plan all the same.
        let gateway = try await TestServers.gateway([
            "GATEWAY_AUTH": "on", "AUTH_JWKS_URL": "\(base)/.well-known/jwks.json",
            "GATEWAY_UPSTREAMS": "crm=\(base),subscription=\(base)", "GATEWAY_RATE_LIMIT": "off",
            "SUBSCRIPTION_URL": base, "AUTH_URL": base, "PLATFORM_CLIENT_SECRET": secret,
        ])
        defer { [upstream, gateway].forEach { $0.stop() } }
        let api = "\(TestServers.url(gateway))/api/v1"
        let unpaidToken = ("Authorization", "Bearer \(try keys.token(TestKeys.claims(tenant: unpaid)))")
        let payingToken = ("Authorization", "Bearer \(try keys.token(TestKeys.claims(tenant: paying)))")

        // Until the plan is known the organization is writable; within moments writes are refused.
        var statuses: [Int] = []
        try await waitUntil {
            let reply = try await TestHTTP.request("\(api)/crm/echo", method: .POST, headers: [unpaidToken], body: Data("{}".utf8))
            statuses.append(reply.status)
            try await Task.sleep(for: .milliseconds(20))
            return reply.status == 403
        }
        let refused = try await TestHTTP.request("\(api)/crm/echo", method: .POST, headers: [unpaidToken], body: Data("{}".utf8))
        #expect(refused.status == 403)
        #expect(refused.problemCode == "subscription_read_only")
        #expect(statuses.filter { $0 != 200 && $0 != 403 }.isEmpty, "\(statuses)")
        for method in [HTTPMethod.PUT, .PATCH, .DELETE] {
            let reply = try await TestHTTP.request("\(api)/crm/echo", method: method, headers: [unpaidToken], body: Data("{}".utf8))
            #expect(reply.status == 403, "\(method)")
        }
        // Reads still work, and so does the subscription service (paying brings the plan back).
        #expect(try await TestHTTP.request("\(api)/crm/echo", headers: [unpaidToken]).status == 200)
        #expect(try await TestHTTP.request("\(api)/subscription/echo", method: .POST, headers: [unpaidToken], body: Data("{}".utf8)).status == 200)
        // A paying organization writes as before.
        for _ in 0..<5 {
            let reply = try await TestHTTP.request("\(api)/crm/echo", method: .POST, headers: [payingToken], body: Data("{}".utf8))
            #expect(reply.status == 200)
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("an entitlements.changed event binds at once: the organization turns read-only and back without waiting for the TTL")
    func changeEvents() async throws {
        let keys = try TestKeys()
        let organization = TenantID.random()
        let (upstream, secret, directory) = try await Self.planUpstream(keys: keys, plans: [Self.entitlements(organization, requestsPerMinute: 600)])
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = TestServers.url(upstream)
        let topic = TestEnvironment.uniqueName("gw-entitlements")
        let gateway = try await TestServers.gateway([
            "GATEWAY_AUTH": "on", "AUTH_JWKS_URL": "\(base)/.well-known/jwks.json", "GATEWAY_UPSTREAMS": "crm=\(base)",
            "SUBSCRIPTION_URL": base, "AUTH_URL": base, "PLATFORM_CLIENT_SECRET": secret,
            // An hour: only the event can change what the gateway knows during the test.
            "GATEWAY_ENTITLEMENTS_TTL": "3600",
            "KAFKA_BOOTSTRAP_SERVERS": TestEnvironment.kafkaBootstrapServers, "GATEWAY_ENTITLEMENTS_TOPIC": topic,
        ])
        defer { [upstream, gateway].forEach { $0.stop() } }
        let url = "\(TestServers.url(gateway))/api/v1/crm/echo"
        let token = ("Authorization", "Bearer \(try keys.token(TestKeys.claims(tenant: organization)))")
        func write() async throws -> Int {
            try await TestHTTP.request(url, method: .POST, headers: [token], body: Data("{}".utf8)).status
        }
        // The first request has the plan fetched (writable); it is not fetched again within the hour.
        #expect(try await write() == 200)
        try await waitUntil { try await TestHTTP.request("\(base)/v1/stats").json["entitlementFetches"] as? Int ?? 0 >= 1 }

        let producer = try KafkaProducer(
            configuration: .init(bootstrapServers: TestEnvironment.kafkaBootstrapServers, clientID: "gateway-entitlements-test"),
            logger: Logger(label: "gateway-entitlements-test"))
        func announce(readOnly: Bool) async throws {
            let entitlements = Self.entitlements(
                organization, requestsPerMinute: 600, status: readOnly ? "unpaid" : "active", readOnly: readOnly)
            let event = EventEnvelope(
                type: EventType.Subscription.entitlementsChanged, tenantID: organization, subject: UUID().uuidString, data: entitlements)
            _ = try await producer.send(KafkaOutgoingMessage(
                topic: topic, key: Array(organization.description.utf8), value: [UInt8](try ERPJSON.encode(event))))
        }
        // The gateway's consumer starts at the newest events once it has joined: announce until it sees one.
        try await waitUntil(timeout: .seconds(30)) {
            try await announce(readOnly: true)
            try await Task.sleep(for: .milliseconds(200))
            return try await write() == 403
        }
        try await waitUntil(timeout: .seconds(30)) {
            try await announce(readOnly: false)
            try await Task.sleep(for: .milliseconds(200))
            return try await write() == 200
        }
        await producer.shutdown()
        let fetches = try await TestHTTP.request("\(base)/v1/stats").json["entitlementFetches"] as? Int ?? 0
        #expect(fetches == 1, "the changes came by event, not by fetching again")
    }

    /// A test upstream playing erp-auth's token grant and erp-subscription's entitlements for
    /// `plans` (files in `directory`, which the caller removes), with the platform secret it accepts.
    static func planUpstream(
        keys: TestKeys, plans: [OrganizationEntitlements]
    ) async throws -> (upstream: ChildProcess, secret: String, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("erp-entitlements-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for plan in plans {
            try ERPJSON.encode(plan).write(to: directory.appendingPathComponent("\(plan.organizationId).json"))
        }
        let secret = UUID().uuidString + UUID().uuidString
        let upstream = try await TestServers.upstream(
            name: "plan", jwksFile: keys.jwksFile, arguments: ["--platform-secret", secret, "--entitlements-dir", directory.path])
        return (upstream, secret, directory)
    }

    static func entitlements(
        _ organization: TenantID, requestsPerMinute: Int, status: String = "active", readOnly: Bool = false
    ) -> OrganizationEntitlements {
        let now = Date()
        return OrganizationEntitlements(
            organizationId: organization, plan: PlanReference(code: "starter", version: 1, name: "Starter"), status: status, readOnly: readOnly,
            features: ["basic"], rateLimit: RateLimitAllowance(requestsPerMinute: requestsPerMinute), metrics: [],
            currentPeriodStart: now, currentPeriodEnd: now.addingTimeInterval(30 * 86_400), version: 1)
    }
}
