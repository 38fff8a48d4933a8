import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation

/// `erp.auth.organization.created` → the organization's default sales pipeline, so its first
/// opportunity has stages to go to (a tenant that predates the consumer gets it on first use),
/// and its owner as the first member, who may own records.
struct OrganizationCreatedHandler: EventHandler {
    let dependencies: CRMDependencies
    var eventType: EventType { EventType.Auth.organizationCreated }

    func handle(_ event: EventEnvelope<OrganizationCreated>, connection: PostgresConnection) async throws {
        let tx = CRMTransaction(
            connection: connection, tenant: event.tenantID, actor: "event:\(eventType.rawValue)", now: Date(),
            trace: event.traceparent.flatMap(TraceContext.init(traceparent:)), scorer: dependencies.scorer)
        try await PipelineWorkflow(tx).ensureDefault()
        let organization = event.data
        try await MemberRepository(connection).apply(
            Member(userID: organization.ownerUserId, name: organization.ownerName, email: organization.ownerEmail, status: .active, updatedAt: event.time),
            tenant: event.tenantID)
    }
}
