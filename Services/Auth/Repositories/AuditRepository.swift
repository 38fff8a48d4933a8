import ERPPostgres
import ERPProtocol
import Foundation

/// The append-only audit log of the current tenant (a trigger refuses UPDATE and DELETE).
struct AuditRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    func record(tenant: TenantID, _ entry: AuditEntry) async throws {
        try await connection.execute(
            """
            INSERT INTO audit_log (tenant_id, id, occurred_at, action, outcome, actor_type, actor_id, target_type, target_id, ip, user_agent, details)
            VALUES (\(tenant.uuid), \(entry.id), \(entry.occurredAt), \(entry.action.rawValue), \(entry.outcome.rawValue), \(entry.actorType.rawValue),
                    \(entry.actorID), \(entry.targetType), \(entry.targetID), \(entry.ip), \(entry.userAgent), \(PostgresJSON(entry.details)))
            """
        )
    }

    struct Filter: Sendable {
        var action: String?
        var actorID: String?
        var targetID: String?
        var outcome: String?
        var from: Date?
        var to: Date?
    }

    /// Newest first, keyset-paginated.
    func list(_ filter: Filter, after: AuditCursor?, limit: Int) async throws -> [AuditEntry] {
        try await connection.query(
            """
            SELECT id, occurred_at, action, outcome, actor_type, actor_id, target_type, target_id, ip, user_agent, details FROM audit_log
            WHERE (\(filter.action)::text IS NULL OR action = \(filter.action))
              AND (\(filter.actorID)::text IS NULL OR actor_id = \(filter.actorID))
              AND (\(filter.targetID)::text IS NULL OR target_id = \(filter.targetID))
              AND (\(filter.outcome)::text IS NULL OR outcome = \(filter.outcome))
              AND (\(filter.from)::timestamptz IS NULL OR occurred_at >= \(filter.from))
              AND (\(filter.to)::timestamptz IS NULL OR occurred_at < \(filter.to))
              AND (\(after?.occurredAt)::timestamptz IS NULL OR (occurred_at, id) < (\(after?.occurredAt), \(after?.id)))
            ORDER BY occurred_at DESC, id DESC
            LIMIT \(limit)
            """
        ).map { row in
            AuditEntry(
                id: try row.decode(UUID.self, named: "id"),
                occurredAt: try row.decode(Date.self, named: "occurred_at"),
                action: AuditAction(try row.decode(String.self, named: "action")),
                outcome: AuditEntry.Outcome(rawValue: try row.decode(String.self, named: "outcome")) ?? .failure,
                actorType: AuditEntry.ActorType(rawValue: try row.decode(String.self, named: "actor_type")) ?? .system,
                actorID: try row.decode(String?.self, named: "actor_id"),
                targetType: try row.decode(String?.self, named: "target_type"),
                targetID: try row.decode(String?.self, named: "target_id"),
                ip: try row.decode(String?.self, named: "ip"),
                userAgent: try row.decode(String?.self, named: "user_agent"),
                details: try row.decode(PostgresJSON<[String: String]>.self, named: "details").value
            )
        }
    }
}

/// The sort key of the last audit entry of a page.
struct AuditCursor: Codable, Sendable {
    var occurredAt: Date
    var id: UUID
}
