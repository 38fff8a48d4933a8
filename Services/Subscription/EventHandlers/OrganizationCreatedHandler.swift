import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation

/// `erp.auth.organization.created` → the organization's subscription: the plan asked for at
/// sign-up (a trial when it is paid and offers one), else Free.
struct OrganizationCreatedHandler: EventHandler {
    let dependencies: SubscriptionDependencies
    var eventType: EventType { EventType.Auth.organizationCreated }

    func handle(_ event: EventEnvelope<OrganizationCreated>, connection: PostgresConnection) async throws {
        let plans = PlanRepository(connection)
        let requested = event.data.requestedPlan.trimmingCharacters(in: .whitespaces).lowercased()
        let free = try await plans.current(code: "free")
        guard let plan = try await plans.current(code: requested.isEmpty ? "free" : requested) ?? free else {
            throw PermanentEventError(reason: "the catalog has no free plan")
        }
        let lifecycle = SubscriptionLifecycle(
            connection: connection, tenant: event.tenantID, now: dependencies.clock.now(), actor: "event:\(eventType.rawValue)",
            dunning: dependencies.configuration.dunning, trace: event.traceparent.flatMap(TraceContext.init(traceparent:))
        )
        try await lifecycle.start(plan: plan, trial: !plan.isFree, reason: "organization_created")
    }

    func didCommit(_ header: EventEnvelopeHeader) async {
        await dependencies.cache.invalidate(header.tenantID)
    }
}
