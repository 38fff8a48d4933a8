import Configuration
import ERPServiceKit
import Testing

@Suite("Service configuration from the environment")
struct ServiceConfigurationTests {
    @Test("reads addresses from the environment variables the deployment sets")
    func fromEnvironment() {
        let environment = [
            "HTTP_PORT": "9999", "HTTP_HOST": "0.0.0.0",
            "POSTGRES_URL": "postgres://app@db/erp_crm", "POSTGRES_MIGRATION_URL": "postgres://owner@db/erp_crm",
            "POSTGRES_POOL_SIZE": "4", "REDIS_URL": "redis://cache:6379", "KAFKA_BOOTSTRAP_SERVERS": "k1:9092,k2:9092",
            "AUTH_JWKS_URL": "http://auth:8081/.well-known/jwks.json", "LOG_LEVEL": "debug", "LOG_FORMAT": "text",
            "SHUTDOWN_GRACE_SECONDS": "7",
        ]
        let configuration = ServiceConfiguration(
            service: .crm, defaultPort: 8083, reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
        )
        #expect(configuration.port == 9999)
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.postgresURL == "postgres://app@db/erp_crm")
        #expect(configuration.postgresMigrationURL == "postgres://owner@db/erp_crm")
        #expect(configuration.postgresPoolSize == 4)
        #expect(configuration.redisURL == "redis://cache:6379")
        #expect(configuration.kafkaBootstrapServers == "k1:9092,k2:9092")
        #expect(configuration.jwksURL == "http://auth:8081/.well-known/jwks.json")
        #expect(configuration.logLevel == .debug)
        #expect(configuration.logFormat == .text)
        #expect(configuration.shutdownGracePeriod == .seconds(7))
    }

    @Test("falls back to the service's defaults")
    func defaults() {
        let configuration = ServiceConfiguration(
            service: .finance, defaultPort: 8085, reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: [:]))
        )
        #expect(configuration.port == 8085)
        #expect(configuration.postgresURL == nil)
        #expect(configuration.logFormat == .json)
        #expect(configuration.jwtIssuer == "erp-auth")
    }
}
