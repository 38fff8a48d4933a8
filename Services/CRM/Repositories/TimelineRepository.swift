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

extension TimelineRepository {
    /// One item of a record's timeline: an activity or an entry.
    enum Item: Sendable {
        case activity(Activity)
        case entry(TimelineEntry)

        var occurredAt: Date {
            switch self {
            case .activity(let activity): activity.occurredAt
            case .entry(let entry): entry.occurredAt
            }
        }

        var id: UUID {
            switch self {
            case .activity(let activity): activity.id
            case .entry(let entry): entry.id
            }
        }
    }

    /// The record's activities and entries together, newest first, after `(occurredAt, id)`.
    func page(_ recordType: RecordType, _ recordID: UUID, after: (Date, UUID)?, limit: Int) async throws -> [Item] {
        let keys = try await connection.query(
            """
            SELECT kind, id FROM (
                SELECT 'activity' AS kind, a.id, a.occurred_at FROM activities a
                WHERE a.record_type = \(recordType.rawValue) AND a.record_id = \(recordID) AND a.deleted_at IS NULL
                UNION ALL
                SELECT 'entry', e.id, e.occurred_at FROM timeline_entries e
                WHERE e.record_type = \(recordType.rawValue) AND e.record_id = \(recordID)
            ) t
            WHERE (\(after?.0)::timestamptz IS NULL OR (t.occurred_at, t.id) < (\(after?.0), \(after?.1)))
            ORDER BY t.occurred_at DESC, t.id DESC LIMIT \(limit)
            """
        ).map { (try $0.decode(String.self, at: 0), try $0.decode(UUID.self, at: 1)) }
        let activityIDs = keys.filter { $0.0 == "activity" }.map(\.1)
        let entryIDs = keys.filter { $0.0 == "entry" }.map(\.1)
        var activities: [UUID: Activity] = [:]
        if !activityIDs.isEmpty {
            for row in try await connection.query("SELECT \(unescaped: ActivityRepository.columns) FROM activities r WHERE r.id = ANY(\(activityIDs))") {
                let activity = try ActivityRepository.decode(row)
                activities[activity.id] = activity
            }
        }
        var entries: [UUID: TimelineEntry] = [:]
        if !entryIDs.isEmpty {
            for row in try await connection.query(
                """
                SELECT id, record_type, record_id, occurred_at, source, event_type, event_id, actor, summary, data
                FROM timeline_entries WHERE id = ANY(\(entryIDs))
                """
            ) {
                let entry = TimelineEntry(
                    id: try row.decode(UUID.self, named: "id"),
                    recordType: RecordType(rawValue: try row.decode(String.self, named: "record_type")) ?? recordType,
                    recordID: try row.decode(UUID.self, named: "record_id"),
                    occurredAt: try row.decode(Date.self, named: "occurred_at"),
                    source: try row.decode(String.self, named: "source"),
                    eventType: try row.decode(String.self, named: "event_type"),
                    eventID: try row.decode(UUID.self, named: "event_id"),
                    actor: try row.decode(String?.self, named: "actor"),
                    summary: try row.decode(String.self, named: "summary"),
                    data: try row.decode(PostgresJSON<JSONValue>.self, named: "data").value
                )
                entries[entry.id] = entry
            }
        }
        return keys.compactMap { kind, id in
            kind == "activity" ? activities[id].map(Item.activity) : entries[id].map(Item.entry)
        }
    }
}
