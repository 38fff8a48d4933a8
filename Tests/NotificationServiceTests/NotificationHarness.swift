import AsyncHTTPClient
import ERPCrypto
import ERPKafka
import ERPPostgres
import ERPProtocol
import ERPServiceKit
import ERPTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import NotificationService

/// erp-notification wired as in production against the real Postgres, Kafka and SMTP sink of
/// the local stack (its own schema and consumer), tokens signed with a test key, and a manual
/// clock so retries, quiet hours and escalations can be driven without waiting.
final class NotificationHarness: Sendable {
    let schema: TestSchema
    let pool: PostgresPool
    let clock: ManualNotificationClock
    let dependencies: NotificationDependencies
    let consumer: EventConsumer
    let signer: AccessTokenSigner
    let client: any TestClientProtocol

    private init(
        schema: TestSchema, pool: PostgresPool, clock: ManualNotificationClock, dependencies: NotificationDependencies, consumer: EventConsumer,
        signer: AccessTokenSigner, client: any TestClientProtocol
    ) {
        self.schema = schema
        self.pool = pool
        self.clock = clock
        self.dependencies = dependencies
        self.consumer = consumer
        self.signer = signer
        self.client = client
    }

    static func run(
        live: Bool = false, sms: (any SMSProvider)? = nil, configure: @escaping @Sendable (inout NotificationConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (NotificationHarness) async throws -> Void
    ) async throws {
        let logger = Logger(label: "notification-test")
        let schema = try await TestSchema.create("notification")
        let owner = PostgresPool(configuration: try PostgresConfiguration(url: schema.ownerURL, poolSize: 1), logger: logger)
        do {
            try await PostgresMigrator(
                pool: owner, migrations: PlatformMigrations.all + NotificationApplication.migrations(), lockName: schema.name, logger: logger
            ).migrate()
        } catch {
            await owner.shutdown()
            throw error
        }
        await owner.shutdown()
        var configuration = NotificationConfiguration(service: ServiceConfiguration(service: .notification, port: 0), secretKey: SecureRandom.bytes(count: 32))
        configuration.smtp = try SMTPConfiguration(url: TestEnvironment.smtpURL)
        // The webhook receivers of the tests listen on loopback; the SSRF tests switch it off again.
        configuration.webhookAllowPrivate = true
        configuration.retryBaseSeconds = 10
        configure(&configuration)
        let pool = PostgresPool(configuration: try PostgresConfiguration(url: schema.appURL, poolSize: 6), logger: logger)
        let clock = ManualNotificationClock(Date())
        let dependencies = NotificationDependencies(
            configuration: configuration, pool: pool, redis: nil, httpClient: HTTPClient.shared, sms: sms, clock: clock, logger: logger
        )
        let producer = try KafkaProducer(
            configuration: .init(bootstrapServers: TestEnvironment.kafkaBootstrapServers, clientID: "notification-test"), logger: logger
        )
        let kafkaConsumer = try KafkaConsumer(
            configuration: .init(
                bootstrapServers: TestEnvironment.kafkaBootstrapServers, groupID: TestEnvironment.uniqueName("notification"),
                topics: [TestEnvironment.uniqueName("notification-unused")], clientID: "notification-test"
            ),
            logger: logger
        )
        let consumer = EventConsumer(
            configuration: .init(name: "notification.deliveries", deadLetterTopic: TestEnvironment.uniqueName("notification-dlq")),
            consumer: kafkaConsumer, producer: producer, pool: pool, handlers: NotificationApplication.eventHandlers(dependencies), logger: logger
        )
        let signer = AccessTokenSigner(key: .generate(), kid: "notification-test")
        let verifier = AccessTokenVerifier(keys: StaticKeyProvider(keys: [signer.kid: signer.key.publicKey]), issuer: "erp-auth", audience: "erp")
        let application = NotificationApplication.makeApplication(dependencies: dependencies, verifier: verifier)
        var failure: (any Error)?
        do {
            try await application.test(live ? .live : .router) { client in
                try await body(NotificationHarness(
                    schema: schema, pool: pool, clock: clock, dependencies: dependencies, consumer: consumer, signer: signer, client: client
                ))
            }
        } catch {
            failure = error
        }
        await kafkaConsumer.shutdown()
        await producer.shutdown()
        await pool.shutdown()
        try? await schema.drop()
        if let failure { throw failure }
    }
}
