import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation

/// Writes the audit entry and the outbox event of a change on the change's own connection, so
/// the change, its audit trail and its event commit together or not at all.
struct ChangeRecorder {
    let connection: PostgresConnection
    let tenant: TenantID
    let trace: TraceContext

    init(_ connection: PostgresConnection, tenant: TenantID, trace: TraceContext) {
        self.connection = connection
        self.tenant = tenant
        self.trace = trace
    }

    func audit(_ entry: AuditEntry) async throws {
        try await AuditRepository(connection).record(tenant: tenant, entry)
    }

    func emit<Payload: Codable & Sendable>(_ type: EventType, subject: String, _ data: Payload) async throws {
        let event = EventEnvelope(type: type, tenantID: tenant, subject: subject, data: data, traceparent: trace.child().traceparent)
        try await Outbox.enqueue(event, on: connection)
    }
}
