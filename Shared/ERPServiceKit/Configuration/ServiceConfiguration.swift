import Configuration
import ERPProtocol
import Logging

/// Everything a service reads from its environment at start. Every address comes from here, so
/// the same binary runs against the local stack and against production Kafka/Postgres/Redis.
///
/// Keys are read through swift-configuration: `postgres.url` is the `POSTGRES_URL` variable.
public struct ServiceConfiguration: Sendable {
    public var service: ServiceName
    public var host: String
    public var port: Int
    /// Application role (not owner, not superuser): row-level security applies to it.
    public var postgresURL: String?
    /// Owner role used only to run migrations; falls back to `postgresURL`.
    public var postgresMigrationURL: String?
    public var postgresPoolSize: Int
    public var redisURL: String?
    public var kafkaBootstrapServers: String?
    /// Where the auth service publishes its signing keys.
    public var jwksURL: String?
    public var jwtIssuer: String
    public var jwtAudience: String
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    /// How long a SIGTERM waits for in-flight work before giving up.
    public var shutdownGracePeriod: Duration
    /// erp-auth's base URL (`AUTH_URL`), for the service's own tokens.
    public var authURL: String?
    /// erp-subscription's base URL (`SUBSCRIPTION_URL`), for entitlement checks.
    public var subscriptionURL: String?
    /// The secret of this service's platform client `svc_<service>` (`PLATFORM_CLIENT_SECRET`).
    public var platformClientSecret: String?

    public init(
        service: ServiceName,
        host: String = "127.0.0.1",
        port: Int,
        postgresURL: String? = nil,
        postgresMigrationURL: String? = nil,
        postgresPoolSize: Int = 10,
        redisURL: String? = nil,
        kafkaBootstrapServers: String? = nil,
        jwksURL: String? = nil,
        jwtIssuer: String = "erp-auth",
        jwtAudience: String = "erp",
        logLevel: Logger.Level = .info,
        logFormat: LogFormat = .json,
        shutdownGracePeriod: Duration = .seconds(20)
    ) {
        self.service = service
        self.host = host
        self.port = port
        self.postgresURL = postgresURL
        self.postgresMigrationURL = postgresMigrationURL
        self.postgresPoolSize = postgresPoolSize
        self.redisURL = redisURL
        self.kafkaBootstrapServers = kafkaBootstrapServers
        self.jwksURL = jwksURL
        self.jwtIssuer = jwtIssuer
        self.jwtAudience = jwtAudience
        self.logLevel = logLevel
        self.logFormat = logFormat
        self.shutdownGracePeriod = shutdownGracePeriod
    }

    /// Reads the configuration of `service` from `reader` (the process environment by default).
    public init(service: ServiceName, defaultPort: Int, reader: ConfigReader = ConfigReader(provider: EnvironmentVariablesProvider())) {
        self.init(
            service: service,
            host: reader.string(forKey: "http.host", default: "127.0.0.1"),
            port: reader.int(forKey: "http.port", default: defaultPort),
            postgresURL: reader.string(forKey: "postgres.url", isSecret: true),
            postgresMigrationURL: reader.string(forKey: "postgres.migration.url", isSecret: true),
            postgresPoolSize: reader.int(forKey: "postgres.pool.size", default: 10),
            redisURL: reader.string(forKey: "redis.url", isSecret: true),
            kafkaBootstrapServers: reader.string(forKey: "kafka.bootstrap.servers"),
            jwksURL: reader.string(forKey: "auth.jwks.url"),
            jwtIssuer: reader.string(forKey: "jwt.issuer", default: "erp-auth"),
            jwtAudience: reader.string(forKey: "jwt.audience", default: "erp"),
            logLevel: Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info").lowercased()) ?? .info,
            logFormat: LogFormat(rawValue: reader.string(forKey: "log.format", default: "json").lowercased()) ?? .json,
            shutdownGracePeriod: .seconds(reader.int(forKey: "shutdown.grace.seconds", default: 20))
        )
        authURL = reader.string(forKey: "auth.url")
        subscriptionURL = reader.string(forKey: "subscription.url")
        platformClientSecret = reader.string(forKey: "platform.client.secret", isSecret: true)
    }
}
