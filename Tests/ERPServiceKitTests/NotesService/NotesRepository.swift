import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation

/// Writes a note and its event in one tenant transaction, as every service write must.
struct NotesRepository {
    let pool: PostgresPool
    let topic: String

    @discardableResult
    func create(tenant: TenantID, title: String) async throws -> UUID {
        let id = UUID()
        try await pool.withTenantTransaction(tenant: tenant.uuid) { connection in
            try await connection.execute("INSERT INTO notes (tenant_id, id, title) VALUES (\(tenant.uuid), \(id), \(title))")
            let event = EventEnvelope(
                type: NoteCreated.type, tenantID: tenant, subject: id.uuidString.lowercased(),
                data: NoteCreated(noteID: id, title: title), traceparent: TraceContext.newRoot().traceparent
            )
            try await Outbox.enqueue(event, topic: topic, on: connection)
        }
        return id
    }
}
