import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// Wires erp-subscription: migrations, dependencies, routes, the event consumer and the
/// billing scheduler.
enum SubscriptionApplication {
    /// The catalog is public (pricing pages); webhooks are signed instead of authenticated.
    static let publicPaths = PublicPaths.standard.adding(exact: ["/v1/plans", "/v1/webhooks/payments"], prefixes: ["/v1/plans/"])

    struct MissingDependency: Error, CustomStringConvertible {
        let description: String
    }

    static var openAPIURL: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }

    static func migrations() throws -> [PostgresMigration] {
        try PostgresMigrator.load(bundle: .module)
    }

    static func makeRouter(
        dependencies: SubscriptionDependencies, verifier: AccessTokenVerifier?, readiness: [ReadinessCheck] = [],
        metrics: PrometheusCollectorRegistry? = nil
    ) -> Router<ERPRequestContext> {
        let router = ServiceRouter.make(
            verifier: verifier, publicPaths: publicPaths, readiness: readiness, metrics: metrics, idempotency: dependencies.idempotency
        )
        OpenAPIDocumentController(document: openAPIURL).addRoutes(to: router)
        PlanController(dependencies: dependencies).addRoutes(to: router)
        SubscriptionController(dependencies: dependencies).addRoutes(to: router)
        EntitlementController(dependencies: dependencies).addRoutes(to: router)
        UsageController(dependencies: dependencies).addRoutes(to: router)
        InvoiceController(dependencies: dependencies).addRoutes(to: router)
        PaymentMethodController(dependencies: dependencies).addRoutes(to: router)
        BillingSettingsController(dependencies: dependencies).addRoutes(to: router)
        WebhookController(dependencies: dependencies).addRoutes(to: router)
        return router
    }

    /// One handler per consumed event type.
    static func eventHandlers(_ dependencies: SubscriptionDependencies) -> [any EventHandler] {
        let cache = dependencies.cache
        return [
            OrganizationCreatedHandler(dependencies: dependencies),
            UsageEventHandler.users(EventType.Auth.userCreated, delta: 1, cache: cache),
            UsageEventHandler.users(EventType.Auth.userReactivated, delta: 1, cache: cache),
            UsageEventHandler.users(EventType.Auth.userDeactivated, delta: -1, cache: cache),
            UsageEventHandler.storage(EventType.File.fileUploaded, cache: cache),
            UsageEventHandler.storage(EventType.File.fileDeleted, cache: cache),
            UsageEventHandler.aiQueries(cache: cache),
        ]
    }

    static let consumedTopics = [EventTopic.events(for: .auth), EventTopic.events(for: .file), EventTopic.events(for: .ai)]

    static func paymentProvider(_ configuration: SubscriptionConfiguration, runtime: ServiceRuntime) -> (any PaymentProvider)? {
        guard let url = configuration.paymentProviderURL, let key = configuration.paymentProviderSecretKey else {
            runtime.logger.warning("no payment provider configured: invoices that need a charge go into dunning")
            return nil
        }
        return StripePaymentProvider(baseURL: url, secretKey: key, httpClient: runtime.httpClient)
    }

    /// Runs the service until SIGTERM.
    static func run(configuration: SubscriptionConfiguration) async throws {
        let runtime = try ServiceRuntime(configuration: configuration.service)
        guard let pool = runtime.postgres, let redis = runtime.redis else {
            throw MissingDependency(description: "erp-subscription needs POSTGRES_URL and REDIS_URL")
        }
        try await runtime.migrate(migrations())
        let dependencies = SubscriptionDependencies(
            configuration: configuration, pool: pool, redis: redis, provider: paymentProvider(configuration, runtime: runtime), logger: runtime.logger
        )
        let router = makeRouter(dependencies: dependencies, verifier: runtime.verifier, readiness: runtime.readinessChecks, metrics: runtime.metrics)
        var services: [any Service] = [BillingScheduler(dependencies: dependencies, interval: .seconds(configuration.schedulerInterval))]
        if let relay = runtime.makeOutboxRelay() { services.append(relay) }
        if let consumer = try runtime.makeEventConsumer(name: "metering", topics: consumedTopics, handlers: eventHandlers(dependencies)) {
            services.append(consumer)
        }
        try await runtime.run(router: router, services: services)
    }
}
