import AsyncHTTPClient
import ERPServiceKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Wires erp-gateway: per-loop resources, the NIO server, health checks, and shutdown.
enum GatewayApplication {
    /// Runs the gateway until SIGTERM/SIGINT.
    static func run(configuration: GatewayConfiguration, onBound: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        LoggingBootstrap.bootstrap(level: configuration.service.logLevel, format: configuration.service.logFormat)
        var logger = Logger(label: "erp-gateway")
        logger[metadataKey: LogMetadataKey.service] = "gateway"
        let metrics = MetricsBootstrap.bootstrap()
        // The proxy's own loops (default: one per core). Fewer loops than cores can win when the
        // gateway shares a small machine with its upstreams (fewer threads contending).
        let group: any EventLoopGroup = configuration.eventLoopCount > 0
            ? MultiThreadedEventLoopGroup(numberOfThreads: configuration.eventLoopCount) : MultiThreadedEventLoopGroup.singleton
        var clientConfiguration = HTTPClient.Configuration(timeout: .init(connect: .seconds(2), read: .seconds(5)))
        clientConfiguration.tlsConfiguration = UpstreamTLS.configuration(caFile: configuration.upstreamCAFile)
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)

        let routes = RouteTable(configuration: configuration)
        let verifier: AccessTokenVerifier? = configuration.authenticationEnabled
            ? configuration.service.jwksURL.map { url in
                AccessTokenVerifier(
                    keys: JWKSCache(url: url, httpClient: httpClient, minimumRefreshGap: .milliseconds(configuration.jwksMinimumRefreshMilliseconds), logger: logger),
                    issuer: configuration.service.jwtIssuer, audience: configuration.service.jwtAudience)
            } : nil
        if !configuration.authenticationEnabled {
            logger.warning("bearer token checks are off (GATEWAY_AUTH=off)")
        }
        // Plans give both the organization's allowance and whether it may write (unpaid or
        // canceled organizations may only read), so they are fetched even with limits off.
        let planLimits = configuration.authenticationEnabled ? makePlanLimits(configuration: configuration, httpClient: httpClient, logger: logger) : nil
        let rateLimitPolicy: RateLimitPolicy? = configuration.rateLimit.enabled
            ? RateLimitPolicy(
                settings: configuration.rateLimit,
                organizations: planLimits ?? ConfiguredOrganizationLimits(limit: configuration.rateLimit.organizationDefault)) : nil
        let documents = OpenAPIAggregator(
            services: routes.services.values.sorted { $0.name < $1.name }, httpClient: httpClient,
            timeToLive: .milliseconds(configuration.openAPITimeToLiveMilliseconds), retryGap: .milliseconds(configuration.openAPIRetryMilliseconds),
            fetchTimeout: .milliseconds(configuration.openAPIFetchTimeoutMilliseconds), logger: logger)
        let shared = GatewayShared(
            routes: routes, verifier: verifier, rateLimitPolicy: rateLimitPolicy, plans: planLimits,
            localEndpoints: LocalEndpoints(services: routes.services.values.sorted { $0.name < $1.name }, metrics: metrics),
            documents: documents,
            cors: CORSPolicy(settings: configuration.cors),
            logger: logger, accessLog: configuration.accessLog, maxBodyBytes: configuration.maxBodyBytes,
            trustForwardedHeaders: configuration.trustForwardedHeaders, clientIdleTimeout: .seconds(Int64(configuration.clientIdleTimeoutSeconds)),
            webSocketIdleTimeout: configuration.webSocketIdleTimeoutSeconds > 0
                ? .nanoseconds(Int64(configuration.webSocketIdleTimeoutSeconds * 1_000_000_000)) : nil)
        let resources = try await makeLoopResources(group: group, configuration: configuration, instanceCount: routes.instances.count, logger: logger)

        for definition in configuration.upstreams {
            logger.info("upstream configured", metadata: [LogMetadataKey.upstream: .string(definition.service), "erp.upstream.instances": .stringConvertible(definition.instances.count)])
        }
        var services: [any Service] = []
        if let planLimits {
            services.append(planLimits)
            if let listener = makeEntitlementListener(configuration: configuration, limits: planLimits, logger: logger) { services.append(listener) }
        }
        if configuration.healthCheckIntervalMilliseconds > 0 && !routes.instances.isEmpty {
            services.append(HealthChecker(instances: routes.instances, httpClient: httpClient, configuration: configuration, logger: logger))
        }
        services.append(
            GatewayServer(
                host: configuration.service.host, port: configuration.service.port, group: group, shared: shared,
                resources: resources.table, logger: logger, drainPeriod: configuration.service.shutdownGracePeriod - .seconds(1), onBound: onBound))
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.service.shutdownGracePeriod
        let serviceGroup = ServiceGroup(configuration: groupConfiguration)
        do {
            try await serviceGroup.run()
        } catch {
            logger.error("gateway failed", metadata: [LogMetadataKey.error: .string(String(describing: type(of: error)))])
        }
        await resources.close()
        try? await httpClient.shutdown()
        logger.info("gateway stopped")
    }

    /// The plan-aware organization limits when `SUBSCRIPTION_URL` is set (asked with the
    /// gateway's platform token, which needs `AUTH_URL` and `PLATFORM_CLIENT_SECRET`).
    static func makePlanLimits(configuration: GatewayConfiguration, httpClient: HTTPClient, logger: Logger) -> PlanOrganizationLimits? {
        guard let subscriptionURL = configuration.subscriptionURL else { return nil }
        guard let authURL = configuration.service.authURL, !authURL.isEmpty, let secret = configuration.service.platformClientSecret else {
            logger.warning("SUBSCRIPTION_URL is set but AUTH_URL or PLATFORM_CLIENT_SECRET is not: every organization gets GATEWAY_RATE_LIMIT_ORG")
            return nil
        }
        logger.info("organization rate limits and read-only state follow plan entitlements", metadata: ["erp.subscription.url": .string(subscriptionURL)])
        return PlanOrganizationLimits(
            subscriptionURL: subscriptionURL,
            tokens: PlatformTokenProvider(authURL: authURL, service: .gateway, clientSecret: secret, httpClient: httpClient),
            httpClient: httpClient, defaultLimit: configuration.rateLimit.organizationDefault, windowSeconds: configuration.rateLimit.windowSeconds,
            timeToLive: .nanoseconds(Int64(configuration.entitlementsTimeToLiveSeconds * 1_000_000_000)),
            capacity: configuration.entitlementsCacheSize, logger: logger)
    }

    /// Plan changes as they happen (`erp.subscription.entitlements.changed`), when a broker is
    /// configured; without one (or if the consumer cannot start) plans refresh on their TTL.
    static func makeEntitlementListener(
        configuration: GatewayConfiguration, limits: PlanOrganizationLimits, logger: Logger
    ) -> EntitlementChangeListener? {
        guard let servers = configuration.service.kafkaBootstrapServers, !servers.isEmpty, !configuration.entitlementsTopic.isEmpty else {
            return nil
        }
        do {
            return try EntitlementChangeListener(limits: limits, bootstrapServers: servers, topic: configuration.entitlementsTopic, logger: logger)
        } catch {
            logger.warning("entitlement changes cannot be followed; plans refresh on their TTL only",
                           metadata: [LogMetadataKey.error: .string(String(describing: error))])
            return nil
        }
    }

    /// Builds each loop's resources on that loop (they are loop-bound from birth).
    static func makeLoopResources(
        group: any EventLoopGroup, configuration: GatewayConfiguration, instanceCount: Int, logger: Logger
    ) async throws -> LoopResourceSet {
        let endpoint = try configuration.rateLimit.redisURL.map(RedisEndpoint.init(url:))
        let fallback = LocalRateLimiter()
        let tlsContext = try UpstreamTLS.context(for: configuration)
        let sweepInterval = LoopSweeper.interval(
            shortestTimeoutMilliseconds: ([configuration.defaultTimeoutMilliseconds, Int64(configuration.clientIdleTimeoutSeconds) * 1000,
                configuration.idleConnectionTimeoutMilliseconds] + configuration.routeTimeouts.map(\.milliseconds)).min() ?? 1000)
        var table: [ObjectIdentifier: NIOLoopBound<LoopResources>] = [:]
        var inFlightCounters: [InFlightCounter] = []
        for loop in group.makeIterator() {
            let bound = try await loop.submit {
                let rateLimiter: LoopRateLimiter? = configuration.rateLimit.enabled ? endpoint.map { endpoint in
                    LoopRateLimiter(
                        eventLoop: loop,
                        redis: RedisPipelineClient(
                            eventLoop: loop, endpoint: endpoint, timeout: .milliseconds(configuration.rateLimit.redisTimeoutMilliseconds),
                            backoff: .milliseconds(configuration.rateLimit.reconnectBackoffMilliseconds)),
                        fallback: fallback, failureMode: configuration.rateLimit.failureMode, logger: logger)
                } : nil
                let resources = LoopResources(
                    pool: UpstreamConnectionPool(
                        eventLoop: loop, instanceCount: instanceCount, connectTimeout: .milliseconds(configuration.connectTimeoutMilliseconds),
                        idleTimeout: .milliseconds(configuration.idleConnectionTimeoutMilliseconds),
                        maxIdlePerInstance: configuration.maxIdleConnectionsPerInstance, tlsContext: tlsContext),
                    balancer: UpstreamBalancer(instanceCount: instanceCount),
                    tokens: VerifiedTokenCache(capacity: configuration.tokenCacheSize),
                    rateLimiter: rateLimiter, sweeper: LoopSweeper(interval: sweepInterval))
                resources.sweeper.start(on: loop) { [unowned resources] in
                    resources.pool.closeIdle(now: .now())
                    resources.metrics.flush()
                }
                return (NIOLoopBound(resources, eventLoop: loop), resources.inFlight)
            }.get()
            table[ObjectIdentifier(loop)] = bound.0
            inFlightCounters.append(bound.1)
        }
        return LoopResourceSet(table: LoopResourceTable(table, inFlightCounters: inFlightCounters), bounds: Array(table.values))
    }
}

/// The per-loop resources and a way to close them at shutdown.
struct LoopResourceSet: Sendable {
    let table: LoopResourceTable
    let bounds: [NIOLoopBound<LoopResources>]

    func close() async {
        for bound in bounds {
            try? await bound.eventLoop.submit {
                bound.value.sweeper.stop()
                bound.value.pool.closeAll()
                bound.value.rateLimiter?.close()
            }.get()
        }
    }
}
