import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import Prometheus
import ServiceLifecycle

/// Wires erp-notification: migrations, dependencies, routes, the WebSocket stream, the event
/// consumer and the delivery scheduler.
enum NotificationApplication {
    struct MissingDependency: Error, CustomStringConvertible {
        let description: String
    }

    static var openAPIURL: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }

    static func migrations() throws -> [PostgresMigration] {
        try PostgresMigrator.load(bundle: .module)
    }

    static func makeRouter(
        dependencies: NotificationDependencies, verifier: AccessTokenVerifier?, readiness: [ReadinessCheck] = [],
        metrics: PrometheusCollectorRegistry? = nil
    ) -> Router<ERPRequestContext> {
        let router = ServiceRouter.make(
            verifier: verifier, publicPaths: .standard, readiness: readiness, metrics: metrics, idempotency: dependencies.idempotency
        )
        OpenAPIDocumentController(document: openAPIURL).addRoutes(to: router)
        DeliveryController(dependencies: dependencies).addRoutes(to: router)
        TemplateController(dependencies: dependencies).addRoutes(to: router)
        RuleController(dependencies: dependencies).addRoutes(to: router)
        PreferenceController(dependencies: dependencies).addRoutes(to: router)
        InAppController(dependencies: dependencies).addRoutes(to: router)
        WebhookController(dependencies: dependencies).addRoutes(to: router)
        EscalationController(dependencies: dependencies).addRoutes(to: router)
        return router
    }

    /// The HTTP application as tests embed it (the service itself runs through `ServiceRuntime`).
    static func makeApplication(dependencies: NotificationDependencies, verifier: AccessTokenVerifier?) -> some ApplicationProtocol {
        Application(router: makeRouter(dependencies: dependencies, verifier: verifier), server: server(dependencies: dependencies, verifier: verifier))
    }

    /// HTTP/1 with the WebSocket upgrade of the in-app stream.
    static func server(dependencies: NotificationDependencies, verifier: AccessTokenVerifier?) -> HTTPServerBuilder {
        .http1WebSocketUpgrade(webSocketRouter: NotificationStream(dependencies: dependencies, verifier: verifier).router())
    }

    /// One handler per catalogued event type (rules, webhooks and escalations may name any).
    static func eventHandlers(_ dependencies: NotificationDependencies) -> [any EventHandler] {
        EventType.catalogue.filter { $0.service != .notification }.map { NotificationEventHandler(eventType: $0, dependencies: dependencies) }
    }

    static func consumedTopics(_ configuration: NotificationConfiguration) -> [String] {
        configuration.consumedServices.compactMap { name in
            name.contains(".") ? name : ServiceName(rawValue: name).map { EventTopic.events(for: $0) }
        }
    }

    static func smsProvider(_ configuration: NotificationConfiguration, runtime: ServiceRuntime) -> (any SMSProvider)? {
        guard let url = configuration.smsURL, let sid = configuration.smsAccountSID, let token = configuration.smsAuthToken,
            let from = configuration.smsFrom
        else { return nil }
        return TwilioSMSProvider(baseURL: url, accountSID: sid, authToken: token, from: from, httpClient: runtime.httpClient)
    }

    /// Runs the service until SIGTERM.
    static func run(configuration: NotificationConfiguration) async throws {
        let runtime = try ServiceRuntime(configuration: configuration.service)
        do {
            try await run(configuration: configuration, runtime: runtime)
        } catch {
            runtime.logger.error("erp-notification stopped on an error", metadata: ["erp.error": .string(String(describing: error))])
            // Close the pools and the HTTP client before exiting, or their deinit traps.
            await runtime.shutdown()
            throw error
        }
    }

    private static func run(configuration: NotificationConfiguration, runtime: ServiceRuntime) async throws {
        guard let pool = runtime.postgres else {
            throw MissingDependency(description: "erp-notification needs POSTGRES_URL")
        }
        if configuration.smtp == nil { runtime.logger.warning("no SMTP_URL: email deliveries will fail and retry") }
        try await runtime.migrate(migrations())
        let dependencies = NotificationDependencies(
            configuration: configuration, pool: pool, redis: runtime.redis, httpClient: runtime.httpClient,
            sms: smsProvider(configuration, runtime: runtime), logger: runtime.logger
        )
        let router = makeRouter(dependencies: dependencies, verifier: runtime.verifier, readiness: runtime.readinessChecks, metrics: runtime.metrics)
        var services: [any Service] = [DeliveryScheduler(dependencies: dependencies)]
        if let relay = runtime.makeOutboxRelay() { services.append(relay) }
        if let consumer = try runtime.makeEventConsumer(name: configuration.consumerName, topics: consumedTopics(configuration), handlers: eventHandlers(dependencies)) {
            services.append(consumer)
        }
        try await runtime.run(router: router, services: services, server: server(dependencies: dependencies, verifier: runtime.verifier))
    }
}
