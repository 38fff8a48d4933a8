import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// Wires erp-crm: migrations, dependencies, routes, the outbox relay and the event consumer.
enum CRMApplication {
    struct MissingDependency: Error, CustomStringConvertible {
        let description: String
    }

    static var openAPIURL: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }

    static func migrations() throws -> [PostgresMigration] {
        try PostgresMigrator.load(bundle: .module)
    }

    static func makeRouter(
        dependencies: CRMDependencies, verifier: AccessTokenVerifier?, readiness: [ReadinessCheck] = [],
        metrics: PrometheusCollectorRegistry? = nil
    ) -> Router<ERPRequestContext> {
        let router = ServiceRouter.make(
            verifier: verifier, publicPaths: .standard, readiness: readiness, metrics: metrics, idempotency: dependencies.idempotency
        )
        OpenAPIDocumentController(document: openAPIURL).addRoutes(to: router)
        CompanyController(dependencies: dependencies).addRoutes(to: router)
        ContactController(dependencies: dependencies).addRoutes(to: router)
        CustomFieldController(dependencies: dependencies).addRoutes(to: router)
        LeadController(dependencies: dependencies).addRoutes(to: router)
        LeadAssignmentController(dependencies: dependencies).addRoutes(to: router)
        PipelineController(dependencies: dependencies).addRoutes(to: router)
        OpportunityController(dependencies: dependencies).addRoutes(to: router)
        ActivityController(dependencies: dependencies).addRoutes(to: router)
        TimelineController(dependencies: dependencies).addRoutes(to: router)
        SearchController(dependencies: dependencies).addRoutes(to: router)
        DataController(dependencies: dependencies).addRoutes(to: router)
        AnalyticsController(dependencies: dependencies).addRoutes(to: router)
        MemberController(dependencies: dependencies).addRoutes(to: router)
        return router
    }

    /// One handler per consumed event type.
    static func eventHandlers(_ dependencies: CRMDependencies) -> [any EventHandler] {
        let members: [any EventHandler] = UserLifecycleHandler.eventTypes.map { UserLifecycleHandler(eventType: $0) }
        return [OrganizationCreatedHandler(dependencies: dependencies), InvoicePaidHandler()] + members
    }

    static let consumedTopics = [EventTopic.events(for: .auth), EventTopic.events(for: .finance)]

    /// Runs the service until SIGTERM.
    static func run(configuration: CRMConfiguration) async throws {
        let runtime = try ServiceRuntime(configuration: configuration.service)
        guard let pool = runtime.postgres else {
            throw MissingDependency(description: "erp-crm needs POSTGRES_URL")
        }
        try await runtime.migrate(migrations())
        let idempotency = runtime.redis.map { IdempotencyStore(redis: $0, prefix: configuration.redisKeyPrefix) }
        let dependencies = CRMDependencies(configuration: configuration, pool: pool, idempotency: idempotency, logger: runtime.logger)
        let router = makeRouter(dependencies: dependencies, verifier: runtime.verifier, readiness: runtime.readinessChecks, metrics: runtime.metrics)
        var services: [any Service] = []
        if let relay = runtime.makeOutboxRelay() { services.append(relay) }
        if !consumedTopics.isEmpty,
            let consumer = try runtime.makeEventConsumer(name: "timeline", topics: consumedTopics, handlers: eventHandlers(dependencies))
        {
            services.append(consumer)
        }
        try await runtime.run(router: router, services: services)
    }
}
