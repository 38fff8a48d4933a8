import ERPPostgres
import ERPProtocol
import Foundation

/// Provider events already applied (global, like the inbox).
struct WebhookEventRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// Records `eventID`; false when it was seen before (a replay).
    func claim(_ eventID: String, type: String, tenant: TenantID?) async throws -> Bool {
        try await connection.execute(
            """
            INSERT INTO webhook_events (provider_event_id, event_type, tenant_id) VALUES (\(eventID), \(type), \(tenant?.uuid))
            ON CONFLICT DO NOTHING
            """
        ) == 1
    }
}
