import ERPCrypto
import ERPKafka
import ERPPostgres
import ERPProtocol
import ERPRedis
import ERPServiceKit
import ERPTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import AsyncHTTPClient

@testable import SubscriptionService

/// erp-subscription wired as in production against the real Postgres, Redis and Kafka of the
/// local stack (its own schema, Redis prefix and consumer), a Stripe-compatible provider on a
/// loopback port, tokens signed with a test key, and a manual billing clock starting
/// 2026-01-01 00:00 UTC so tests can move through trials, periods and dunning.
final class SubscriptionHarness: Sendable {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let webhookSecret = "whsec_test_subscription_suite"

    let schema: TestSchema
    let pool: PostgresPool
    let redis: RedisPool
    let clock: ManualBillingClock
    let dependencies: SubscriptionDependencies
    let consumer: EventConsumer
    let stripe: StripeTestServer
    let signer: AccessTokenSigner
    let client: any TestClientProtocol

    private init(
        schema: TestSchema, pool: PostgresPool, redis: RedisPool, clock: ManualBillingClock, dependencies: SubscriptionDependencies,
        consumer: EventConsumer, stripe: StripeTestServer, signer: AccessTokenSigner, client: any TestClientProtocol
    ) {
        self.schema = schema
        self.pool = pool
        self.redis = redis
        self.clock = clock
        self.dependencies = dependencies
        self.consumer = consumer
        self.stripe = stripe
        self.signer = signer
        self.client = client
    }

    /// `live` serves on a real loopback port (`client.port`) for callers that need a URL.
    static func run(
        provider: Bool = true, live: Bool = false, configure: @escaping @Sendable (inout SubscriptionConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (SubscriptionHarness) async throws -> Void
    ) async throws {
        let stripe = StripeTestServer()
        try await stripe.run { stripeURL in
            try await runWith(stripe: stripe, stripeURL: provider ? stripeURL : nil, live: live, configure: configure, body)
        }
    }

    private static func runWith(
        stripe: StripeTestServer, stripeURL: String?, live: Bool, configure: (inout SubscriptionConfiguration) -> Void,
        _ body: @escaping @Sendable (SubscriptionHarness) async throws -> Void
    ) async throws {
        let logger = Logger(label: "subscription-test")
        let schema = try await TestSchema.create("subscription")
        let owner = PostgresPool(configuration: try PostgresConfiguration(url: schema.ownerURL, poolSize: 1), logger: logger)
        do {
            try await PostgresMigrator(
                pool: owner, migrations: PlatformMigrations.all + SubscriptionApplication.migrations(), lockName: schema.name, logger: logger
            ).migrate()
        } catch {
            await owner.shutdown()
            throw error
        }
        await owner.shutdown()
        var configuration = SubscriptionConfiguration(service: ServiceConfiguration(service: .subscription, port: 0))
        configuration.redisKeyPrefix = TestEnvironment.uniqueName("subscription")
        configuration.webhookSecret = webhookSecret
        configure(&configuration)
        let pool = PostgresPool(configuration: try PostgresConfiguration(url: schema.appURL, poolSize: 6), logger: logger)
        let redis = RedisPool(configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: logger)
        let provider = stripeURL.map { StripePaymentProvider(baseURL: $0, secretKey: StripeTestServer.secretKey, httpClient: HTTPClient.shared) }
        let clock = ManualBillingClock(start)
        let dependencies = SubscriptionDependencies(configuration: configuration, pool: pool, redis: redis, provider: provider, clock: clock, logger: logger)
        let producer = try KafkaProducer(
            configuration: .init(bootstrapServers: TestEnvironment.kafkaBootstrapServers, clientID: "subscription-test"), logger: logger
        )
        let kafkaConsumer = try KafkaConsumer(
            configuration: .init(
                bootstrapServers: TestEnvironment.kafkaBootstrapServers, groupID: TestEnvironment.uniqueName("subscription"),
                topics: [TestEnvironment.uniqueName("subscription-unused")], clientID: "subscription-test"
            ),
            logger: logger
        )
        let consumer = EventConsumer(
            configuration: .init(name: "subscription.metering", deadLetterTopic: TestEnvironment.uniqueName("subscription-dlq")),
            consumer: kafkaConsumer, producer: producer, pool: pool, handlers: SubscriptionApplication.eventHandlers(dependencies), logger: logger
        )
        let signer = AccessTokenSigner(key: .generate(), kid: "subscription-test")
        let verifier = AccessTokenVerifier(keys: StaticKeyProvider(keys: [signer.kid: signer.key.publicKey]), issuer: "erp-auth", audience: "erp")
        let application = Application(router: SubscriptionApplication.makeRouter(dependencies: dependencies, verifier: verifier))
        var failure: (any Error)?
        do {
            try await application.test(live ? .live : .router) { client in
                try await body(SubscriptionHarness(
                    schema: schema, pool: pool, redis: redis, clock: clock, dependencies: dependencies, consumer: consumer, stripe: stripe,
                    signer: signer, client: client
                ))
            }
        } catch {
            failure = error
        }
        await kafkaConsumer.shutdown()
        await producer.shutdown()
        await pool.shutdown()
        await redis.shutdown()
        try? await schema.drop()
        if let failure { throw failure }
    }
}
