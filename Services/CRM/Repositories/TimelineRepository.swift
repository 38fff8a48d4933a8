import ERPPostgres
import ERPProtocol
import Foundation

/// Timeline entries: what happened to a record besides its activities.
struct TimelineRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// Adds `entry`; a second entry for the same event and record is ignored (redelivery).
    @discardableResult
    func insert(_ entry: TimelineEntry, tenant: TenantID) async throws -> Bool {
        try await connection.execute(
            """
            INSERT INTO timeline_entries (tenant_id, id, record_type, record_id, occurred_at, source, event_type, event_id, actor, summary, data)
            VALUES (\(tenant.uuid), \(entry.id), \(entry.recordType.rawValue), \(entry.recordID), \(entry.occurredAt), \(entry.source),
                    \(entry.eventType), \(entry.eventID), \(entry.actor), \(entry.summary), \(PostgresJSON(entry.data)))
            ON CONFLICT (tenant_id, event_id, record_type, record_id) DO NOTHING
            """
        ) == 1
    }

    /// Re-points every entry of a merged record at its survivor.
    func move(_ recordType: RecordType, from duplicate: UUID, to survivor: UUID) async throws {
        try await connection.execute(
            """
            UPDATE timeline_entries e SET record_id = \(survivor)
            WHERE e.record_type = \(recordType.rawValue) AND e.record_id = \(duplicate)
              AND NOT EXISTS (SELECT 1 FROM timeline_entries o WHERE o.record_type = e.record_type AND o.record_id = \(survivor) AND o.event_id = e.event_id)
            """
        )
    }
}
