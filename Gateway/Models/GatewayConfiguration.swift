import Configuration
import ERPProtocol
import ERPServiceKit
import Foundation

/// Everything erp-gateway reads at start: the platform keys of `ServiceConfiguration`
/// (`HTTP_PORT`, `REDIS_URL`, `AUTH_JWKS_URL`, `JWT_ISSUER`, `LOG_LEVEL`, …) plus the `GATEWAY_*`
/// keys documented in docs/gateway.md. A JSON file (`GATEWAY_CONFIG_FILE`) may hold the
/// upstreams, route timeouts and public routes instead of the environment.
struct GatewayConfiguration: Sendable {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    var service: ServiceConfiguration
    var upstreams: [UpstreamDefinition]
    /// How long an upstream may take to start answering after the last request byte.
    var defaultTimeoutMilliseconds: Int64 = 30_000
    var routeTimeouts: [RouteTimeout] = []
    var connectTimeoutMilliseconds: Int64 = 1_000
    var breakerFailureThreshold = 5
    var breakerCoolDownMilliseconds: Int64 = 10_000
    /// 0 turns active health checks off.
    var healthCheckIntervalMilliseconds: Int64 = 5_000
    var healthCheckTimeoutMilliseconds: Int64 = 2_000
    var healthCheckPath = "/health/live"
    /// Consecutive failed checks before an instance is ejected.
    var unhealthyThreshold = 2
    /// Consecutive passed checks before an ejected instance is restored.
    var healthyThreshold = 1
    var maxIdleConnectionsPerInstance = 256
    var idleConnectionTimeoutMilliseconds: Int64 = 60_000
    /// Whether bearer tokens are checked. Only tests of the proxy alone turn it off.
    var authenticationEnabled = true
    var publicRoutes: [PublicRoute] = PublicRoute.defaults
    var sensitiveRoutes: [PublicRoute] = PublicRoute.sensitiveDefaults
    var rateLimit: RateLimitSettings
    /// Request bodies larger than this are refused with 413 (0 = no limit).
    var maxBodyBytes: Int64 = 0
    /// Keep the caller's `X-Forwarded-For` (only behind a trusted load balancer).
    var trustForwardedHeaders = false
    /// One JSON line per request.
    var accessLog = true
    var tokenCacheSize = 10_000
    var cors = CORSSettings()
    /// Seconds a client connection may sit idle between requests.
    var clientIdleTimeoutSeconds = 75
    /// Least time between two JWKS fetches caused by unknown key ids.
    var jwksMinimumRefreshMilliseconds: Int64 = 5_000
    /// Event loops of the proxy data path; 0 = one per core.
    var eventLoopCount = 0
    /// How long a merged OpenAPI document is served before it is fetched again.
    var openAPITimeToLiveMilliseconds: Int64 = 60_000
    /// While a service's document is missing: the least time before trying again.
    var openAPIRetryMilliseconds: Int64 = 5_000
    var openAPIFetchTimeoutMilliseconds: Int64 = 3_000
    /// A WebSocket tunnel with no bytes either way for this long is closed (0: never).
    var webSocketIdleTimeoutSeconds: Double = 300
    /// erp-subscription's base URL (`SUBSCRIPTION_URL`, its first instance): organizations'
    /// rate limits come from their plans when set.
    var subscriptionURL: String?
    /// How long a plan's allowance is used before it is fetched again.
    var entitlementsTimeToLiveSeconds: Double = 60
    /// Organizations whose allowance is kept in memory at most.
    var entitlementsCacheSize = 100_000
    /// Where erp-subscription announces entitlement changes (with `KAFKA_BOOTSTRAP_SERVERS`;
    /// empty: rely on the TTL alone).
    var entitlementsTopic = EventTopic.events(for: .subscription)
    /// PEM file of the certificate authorities `https://` upstreams are verified against
    /// (`GATEWAY_UPSTREAM_CA_FILE`; the system's roots when unset).
    var upstreamCAFile: String?

    init(service: ServiceConfiguration, upstreams: [UpstreamDefinition], rateLimit: RateLimitSettings) {
        self.service = service
        self.upstreams = upstreams
        self.rateLimit = rateLimit
    }

    /// Reads the environment (and `GATEWAY_CONFIG_FILE` when set).
    init(reader: ConfigReader = ConfigReader(provider: EnvironmentVariablesProvider())) throws {
        let service = ServiceConfiguration(service: .gateway, defaultPort: 8080, reader: reader)
        var file = GatewayConfigurationFile()
        if let path = reader.string(forKey: "gateway.config.file") {
            do {
                file = try JSONDecoder().decode(GatewayConfigurationFile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                throw Invalid(description: "GATEWAY_CONFIG_FILE \(path) could not be read: \(error)")
            }
        }
        let upstreams = try Self.upstreams(reader: reader, file: file)

        var rateLimit = RateLimitSettings(enabled: false)
        rateLimit.redisURL = service.redisURL
        rateLimit.enabled = service.redisURL != nil && reader.string(forKey: "gateway.rate.limit", default: "on").lowercased() != "off"
        rateLimit.keyPrefix = reader.string(forKey: "gateway.rate.limit.prefix", default: rateLimit.keyPrefix)
        rateLimit.windowSeconds = reader.int(forKey: "gateway.rate.limit.window.seconds", default: rateLimit.windowSeconds)
        rateLimit.organizationDefault = reader.int(forKey: "gateway.rate.limit.org", default: rateLimit.organizationDefault)
        rateLimit.perUser = reader.int(forKey: "gateway.rate.limit.user", default: rateLimit.perUser)
        rateLimit.perIP = reader.int(forKey: "gateway.rate.limit.ip", default: rateLimit.perIP)
        rateLimit.perIPSensitive = reader.int(forKey: "gateway.rate.limit.ip.sensitive", default: rateLimit.perIPSensitive)
        let mode = reader.string(forKey: "gateway.rate.limit.failure.mode", default: "open").lowercased()
        guard let failureMode = RateLimitSettings.FailureMode(rawValue: mode) else {
            throw Invalid(description: "GATEWAY_RATE_LIMIT_FAILURE_MODE must be open or closed")
        }
        rateLimit.failureMode = failureMode
        rateLimit.redisTimeoutMilliseconds = Int64(reader.int(forKey: "gateway.rate.limit.redis.timeout.ms", default: 250))
        rateLimit.reconnectBackoffMilliseconds = Int64(reader.int(forKey: "gateway.rate.limit.redis.backoff.ms", default: 1000))
        guard rateLimit.windowSeconds > 0, rateLimit.organizationDefault > 0, rateLimit.perUser > 0, rateLimit.perIP > 0,
            rateLimit.perIPSensitive > 0
        else { throw Invalid(description: "rate limits and the window must be positive") }

        self.init(service: service, upstreams: upstreams, rateLimit: rateLimit)
        defaultTimeoutMilliseconds = Int64(reader.int(forKey: "gateway.upstream.timeout.ms", default: file.timeoutMs.map(Int.init) ?? 30_000))
        routeTimeouts = try Self.routeTimeouts(reader.string(forKey: "gateway.route.timeouts")) + (file.routeTimeouts ?? [:]).map {
            RouteTimeout(prefix: $0.key, milliseconds: $0.value)
        }
        connectTimeoutMilliseconds = Int64(reader.int(forKey: "gateway.connect.timeout.ms", default: 1_000))
        breakerFailureThreshold = reader.int(forKey: "gateway.breaker.failures", default: 5)
        breakerCoolDownMilliseconds = Int64(reader.int(forKey: "gateway.breaker.cooldown.ms", default: 10_000))
        healthCheckIntervalMilliseconds = Int64(reader.int(forKey: "gateway.health.interval.ms", default: 5_000))
        healthCheckTimeoutMilliseconds = Int64(reader.int(forKey: "gateway.health.timeout.ms", default: 2_000))
        healthCheckPath = reader.string(forKey: "gateway.health.path", default: "/health/live")
        upstreamCAFile = reader.string(forKey: "gateway.upstream.ca.file").flatMap { $0.isEmpty ? nil : $0 }
        entitlementsTopic = reader.string(forKey: "gateway.entitlements.topic", default: entitlementsTopic)
        unhealthyThreshold = reader.int(forKey: "gateway.health.unhealthy.threshold", default: 2)
        healthyThreshold = reader.int(forKey: "gateway.health.healthy.threshold", default: 1)
        maxIdleConnectionsPerInstance = reader.int(forKey: "gateway.pool.max.idle", default: 256)
        idleConnectionTimeoutMilliseconds = Int64(reader.int(forKey: "gateway.pool.idle.timeout.ms", default: 60_000))
        authenticationEnabled = reader.string(forKey: "gateway.auth", default: "on").lowercased() != "off"
        let extraPublic = (reader.string(forKey: "gateway.public.routes") ?? "").split(separator: ",").map(String.init) + (file.publicRoutes ?? [])
        for text in extraPublic where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let route = PublicRoute(parsing: text) else { throw Invalid(description: "public route '\(text)' is not '[METHOD] /path[*]'") }
            publicRoutes.append(route)
        }
        maxBodyBytes = Int64(reader.int(forKey: "gateway.max.body.bytes", default: 0))
        trustForwardedHeaders = reader.bool(forKey: "gateway.trust.forwarded", default: false)
        accessLog = reader.string(forKey: "gateway.access.log", default: "on").lowercased() != "off"
        tokenCacheSize = reader.int(forKey: "gateway.token.cache.size", default: 10_000)
        cors.origins = (reader.string(forKey: "gateway.cors.origins") ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        cors.allowCredentials = reader.bool(forKey: "gateway.cors.credentials", default: false)
        cors.maxAgeSeconds = reader.int(forKey: "gateway.cors.max.age", default: 600)
        clientIdleTimeoutSeconds = reader.int(forKey: "gateway.client.idle.timeout.seconds", default: 75)
        jwksMinimumRefreshMilliseconds = Int64(reader.int(forKey: "gateway.jwks.min.refresh.ms", default: 5_000))
        eventLoopCount = max(0, reader.int(forKey: "gateway.event.loops", default: 0))
        openAPITimeToLiveMilliseconds = Int64(reader.int(forKey: "gateway.openapi.ttl.ms", default: 60_000))
        openAPIRetryMilliseconds = Int64(reader.int(forKey: "gateway.openapi.retry.ms", default: 5_000))
        openAPIFetchTimeoutMilliseconds = Int64(reader.int(forKey: "gateway.openapi.timeout.ms", default: 3_000))
        webSocketIdleTimeoutSeconds = reader.double(forKey: "gateway.websocket.idle.timeout", default: 300)
        subscriptionURL = reader.string(forKey: "subscription.url")?.split(separator: "|").first.map {
            $0.trimmingCharacters(in: .whitespaces)
        }.flatMap { $0.isEmpty ? nil : $0 }
        entitlementsTimeToLiveSeconds = reader.double(forKey: "gateway.entitlements.ttl", default: 60)
        entitlementsCacheSize = reader.int(forKey: "gateway.entitlements.cache.size", default: 100_000)
        guard webSocketIdleTimeoutSeconds >= 0, entitlementsTimeToLiveSeconds > 0, entitlementsCacheSize > 0 else {
            throw Invalid(description: "GATEWAY_WEBSOCKET_IDLE_TIMEOUT must not be negative; GATEWAY_ENTITLEMENTS_TTL and _CACHE_SIZE must be positive")
        }
        guard breakerFailureThreshold > 0, breakerCoolDownMilliseconds > 0, connectTimeoutMilliseconds > 0,
            defaultTimeoutMilliseconds > 0, unhealthyThreshold > 0, healthyThreshold > 0
        else { throw Invalid(description: "timeouts and thresholds must be positive") }
        if authenticationEnabled && service.jwksURL == nil {
            throw Invalid(description: "AUTH_JWKS_URL is required (or GATEWAY_AUTH=off, for tests of the proxy alone)")
        }
    }

    /// `GATEWAY_UPSTREAMS` (`auth=http://a:8081|http://b:8081,crm=http://c:8083`), then the file,
    /// then `<SERVICE>_URL` for every suite service not named yet.
    static func upstreams(reader: ConfigReader, file: GatewayConfigurationFile) throws -> [UpstreamDefinition] {
        var result: [String: [String]] = [:]
        if let text = reader.string(forKey: "gateway.upstreams") {
            result = try parseUpstreams(text)
        }
        for (service, definition) in file.upstreams ?? [:] where result[service] == nil {
            result[service] = definition.instances
        }
        for service in ServiceName.allCases where service != .gateway && result[service.rawValue] == nil {
            if let url = reader.string(forKey: ConfigKey([service.rawValue, "url"])), !url.isEmpty {
                result[service.rawValue] = url.split(separator: "|").map(String.init)
            }
        }
        for (service, instances) in result {
            guard !instances.isEmpty, service.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }) else {
                throw Invalid(description: "upstream '\(service)' needs a lowercase name and at least one instance")
            }
            for url in instances { _ = try InstanceAddress(url: url) }
        }
        return result.keys.sorted().map { UpstreamDefinition(service: $0, instances: result[$0]!) }
    }

    static func parseUpstreams(_ text: String) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for entry in text.split(separator: ",") {
            let pair = entry.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { throw Invalid(description: "GATEWAY_UPSTREAMS entry '\(entry)' is not service=url|url") }
            let service = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
            result[service, default: []] += pair[1].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return result
    }

    /// `GATEWAY_ROUTE_TIMEOUTS`: `/api/v1/ai/chat=300000,/api/v1/file=120000` (milliseconds).
    static func routeTimeouts(_ text: String?) throws -> [RouteTimeout] {
        guard let text else { return [] }
        return try text.split(separator: ",").map { entry in
            let pair = entry.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].hasPrefix("/"), let ms = Int64(pair[1].trimmingCharacters(in: .whitespaces)), ms > 0 else {
                throw Invalid(description: "GATEWAY_ROUTE_TIMEOUTS entry '\(entry)' is not /path=milliseconds")
            }
            return RouteTimeout(prefix: String(pair[0]).trimmingCharacters(in: .whitespaces), milliseconds: ms)
        }
    }
}
