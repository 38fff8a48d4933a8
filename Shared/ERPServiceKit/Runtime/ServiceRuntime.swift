import AsyncHTTPClient
import ERPKafka
import ERPPostgres
import ERPProtocol
import ERPRedis
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization

/// The shared infrastructure of one service process, built from its configuration: logging,
/// metrics, the Postgres pool, Redis, the Kafka producer, the HTTP client for calling other
/// services and the token verifier. A service's `buildApplication` takes one of these, adds
/// routes and consumers, and calls `run`.
public final class ServiceRuntime: Sendable {
    public let configuration: ServiceConfiguration
    public let logger: Logger
    public let metrics: PrometheusCollectorRegistry
    public let httpClient: HTTPClient
    public let postgres: PostgresPool?
    public let redis: RedisPool?
    public let producer: KafkaProducer?
    public let verifier: AccessTokenVerifier?
    /// The service's own tokens, when `AUTH_URL` and `PLATFORM_CLIENT_SECRET` are set.
    public let platformTokens: PlatformTokenProvider?
    /// The organizations' plans, when `SUBSCRIPTION_URL` is set and the service has its own tokens.
    public let entitlements: EntitlementClient?
    private let runningGroup = Mutex<ServiceGroup?>(nil)

    public init(configuration: ServiceConfiguration) throws {
        LoggingBootstrap.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
        var logger = Logger(label: "erp-\(configuration.service.rawValue)")
        logger[metadataKey: LogMetadataKey.service] = .string(configuration.service.rawValue)
        self.configuration = configuration
        self.logger = logger
        self.metrics = MetricsBootstrap.bootstrap()
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .seconds(2), read: .seconds(30))))
        self.httpClient = httpClient
        if let url = configuration.postgresURL {
            let postgresConfiguration = try PostgresConfiguration(
                url: url, poolSize: configuration.postgresPoolSize, applicationName: "erp-\(configuration.service.rawValue)"
            )
            self.postgres = PostgresPool(configuration: postgresConfiguration, logger: logger)
        } else {
            self.postgres = nil
        }
        self.redis = try configuration.redisURL.map { RedisPool(configuration: try RedisConfiguration(url: $0), logger: logger) }
        self.producer = try configuration.kafkaBootstrapServers.map {
            try KafkaProducer(
                configuration: KafkaProducerConfiguration(bootstrapServers: $0, clientID: "erp-\(configuration.service.rawValue)"),
                logger: logger
            )
        }
        self.verifier = configuration.jwksURL.map {
            AccessTokenVerifier(
                keys: JWKSCache(url: $0, httpClient: httpClient, logger: logger),
                issuer: configuration.jwtIssuer,
                audience: configuration.jwtAudience,
                cache: VerifiedClaimsCache()
            )
        }
        if let authURL = configuration.authURL, let secret = configuration.platformClientSecret {
            self.platformTokens = PlatformTokenProvider(authURL: authURL, service: configuration.service, clientSecret: secret, httpClient: httpClient)
        } else {
            self.platformTokens = nil
        }
        if let subscriptionURL = configuration.subscriptionURL, let tokens = platformTokens {
            self.entitlements = EntitlementClient(subscriptionURL: subscriptionURL, httpClient: httpClient, logger: logger) { try await tokens.token() }
        } else {
            self.entitlements = nil
        }
    }

    /// The dependencies `/health/ready` checks.
    public var readinessChecks: [ReadinessCheck] {
        var checks: [ReadinessCheck] = []
        if let postgres { checks.append(.postgres(postgres)) }
        if let redis { checks.append(.redis(redis)) }
        if let producer { checks.append(.kafka(producer)) }
        return checks
    }

    /// Replays of `Idempotency-Key` POSTs, kept in the service's Redis (none without Redis).
    public var idempotencyStore: IdempotencyStore? {
        redis.map { IdempotencyStore(redis: $0, prefix: "erp:\(configuration.service.rawValue)") }
    }

    /// The standard router (middleware, health, metrics); `publicPaths` extends the standard set.
    public func makeRouter(publicPaths: PublicPaths = .standard) -> Router<ERPRequestContext> {
        ServiceRouter.make(verifier: verifier, publicPaths: publicPaths, readiness: readinessChecks, metrics: metrics, idempotency: idempotencyStore)
    }

    /// Applies the platform tables and `migrations` (the service's own, numbered from 100) as the
    /// owner role (`POSTGRES_MIGRATION_URL`, or the application URL when none is given).
    public func migrate(_ migrations: [PostgresMigration]) async throws {
        guard let url = configuration.postgresMigrationURL ?? configuration.postgresURL else { return }
        let pool = PostgresPool(configuration: try PostgresConfiguration(url: url, poolSize: 1, applicationName: "erp-\(configuration.service.rawValue)-migrate"), logger: logger)
        do {
            try await PostgresMigrator(
                pool: pool, migrations: PlatformMigrations.all + migrations, lockName: "erp-\(configuration.service.rawValue)", logger: logger
            ).migrate()
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }

    /// The outbox relay for this service's database, when it has Postgres and Kafka.
    public func makeOutboxRelay(configuration relayConfiguration: OutboxRelay.Configuration = .init()) -> OutboxRelay? {
        guard let postgres, let producer else { return nil }
        return OutboxRelay(pool: postgres, producer: producer, configuration: relayConfiguration, logger: logger)
    }

    /// A consumer of `topics` for this service: consumer group `erp-<service>.<name>`, inbox name
    /// `<service>.<name>`, dead letters to `erp.<service>.deadletter`, offsets committed in the
    /// background after each handled event (the inbox absorbs the redeliveries a crash can cause).
    public func makeEventConsumer(name: String, topics: [String], handlers: [any EventHandler]) throws -> EventConsumer? {
        guard let postgres, let producer, let bootstrap = configuration.kafkaBootstrapServers else { return nil }
        let service = configuration.service
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                bootstrapServers: bootstrap, groupID: "erp-\(service.rawValue).\(name)", topics: topics,
                clientID: "erp-\(service.rawValue)", commitMode: .periodic(interval: .seconds(1))
            ),
            logger: logger
        )
        return EventConsumer(
            configuration: .init(name: "\(service.rawValue).\(name)", deadLetterTopic: EventTopic.deadLetter(for: service)),
            consumer: consumer, producer: producer, pool: postgres, handlers: handlers, logger: logger
        )
    }

    /// Serves `router` with `services` (relay, consumers, schedulers) until SIGTERM/SIGINT, then
    /// shuts down in order: stop accepting HTTP and let in-flight requests finish, stop the
    /// background services, flush the Kafka producer, close the pools.
    ///
    /// `onServerRunning` receives the bound port (useful with port 0); `server` chooses the HTTP
    /// server (e.g. `.http1WebSocketUpgrade(...)` for a service with WebSocket routes).
    public func run(
        router: Router<ERPRequestContext>,
        services: [any Service] = [],
        server: HTTPServerBuilder = .http1(),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let application = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "erp-\(configuration.service.rawValue)"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        // ServiceGroup shuts services down in reverse order: the HTTP server (last) goes first.
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) } + [.init(service: application)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger
        )
        // Bounded, so a stuck dependency cannot keep a terminating container alive forever.
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
        let group = ServiceGroup(configuration: groupConfiguration)
        runningGroup.withLock { $0 = group }
        logger.info("service starting", metadata: ["http.port": .stringConvertible(configuration.port)])
        do {
            try await group.run()
        } catch {
            await shutdown()
            throw error
        }
        await shutdown()
    }

    /// Starts the same orderly shutdown a SIGTERM does (for embedding and tests).
    public func requestShutdown() async {
        let group = runningGroup.withLock { $0 }
        await group?.triggerGracefulShutdown()
    }

    /// Flushes and closes everything the runtime owns.
    public func shutdown() async {
        if let producer { await producer.shutdown() }
        if let redis { await redis.shutdown() }
        if let postgres { await postgres.shutdown() }
        try? await httpClient.shutdown()
        logger.info("service stopped")
    }
}
