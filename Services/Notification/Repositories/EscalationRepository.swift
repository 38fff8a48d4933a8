import ERPPostgres
import ERPProtocol
import Foundation

/// Escalation rules and open escalations of the transaction's tenant.
struct EscalationRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    private static let ruleColumns: StaticString = "id, trigger_event_type, resolve_event_types, after_seconds, chain, channels, enabled, created_at"
    private static let columns: StaticString = "id, rule_id, subject, trigger_event_id, trigger_event_type, level, status, due_at, opened_at, resolved_at"

    func createRule(_ rule: EscalationRule, tenant: TenantID) async throws {
        try await connection.execute(
            """
            INSERT INTO escalation_rules (tenant_id, id, trigger_event_type, resolve_event_types, after_seconds, chain, channels, enabled)
            VALUES (\(tenant.uuid), \(rule.id), \(rule.triggerEventType), \(rule.resolveEventTypes), \(rule.afterSeconds), \(rule.chain),
                    \(rule.channels.map(\.rawValue)), \(rule.enabled))
            """
        )
    }

    func rules() async throws -> [EscalationRule] {
        try await connection.query("SELECT \(unescaped: Self.ruleColumns) FROM escalation_rules ORDER BY created_at, id").map(Self.rule)
    }

    func rule(_ id: UUID) async throws -> EscalationRule? {
        try await connection.query("SELECT \(unescaped: Self.ruleColumns) FROM escalation_rules WHERE id = \(id)").map(Self.rule).first
    }

    func triggeredBy(_ eventType: String) async throws -> [EscalationRule] {
        try await connection.query(
            "SELECT \(unescaped: Self.ruleColumns) FROM escalation_rules WHERE enabled AND trigger_event_type = \(eventType)"
        ).map(Self.rule)
    }

    func deleteRule(_ id: UUID) async throws -> Bool {
        try await connection.execute("DELETE FROM escalation_rules WHERE id = \(id)") == 1
    }

    /// Opens an escalation once per rule and trigger event; returns it when new.
    func open(_ escalation: Escalation, tenant: TenantID) async throws -> Bool {
        try await connection.execute(
            """
            INSERT INTO escalations (tenant_id, id, rule_id, subject, trigger_event_id, trigger_event_type, level, status, due_at, opened_at)
            VALUES (\(tenant.uuid), \(escalation.id), \(escalation.ruleID), \(escalation.subject), \(escalation.triggerEventID),
                    \(escalation.triggerEventType), 0, 'open', \(escalation.dueAt), \(escalation.openedAt))
            ON CONFLICT (tenant_id, rule_id, trigger_event_id) DO NOTHING
            """
        ) == 1
    }

    /// Closes the open escalations of `subject` whose rule is resolved by `eventType`; returns their ids.
    func resolve(subject: String, by eventType: String, at time: Date) async throws -> [UUID] {
        try await connection.query(
            """
            UPDATE escalations e SET status = 'resolved', resolved_at = \(time)
            FROM escalation_rules r
            WHERE e.rule_id = r.id AND e.status = 'open' AND e.subject = \(subject) AND \(eventType) = ANY(r.resolve_event_types)
            RETURNING e.id
            """
        ).map { try $0.decode(UUID.self, at: 0) }
    }

    func find(_ id: UUID, lock: Bool) async throws -> Escalation? {
        let rows = lock
            ? try await connection.query("SELECT \(unescaped: Self.columns) FROM escalations WHERE id = \(id) FOR UPDATE")
            : try await connection.query("SELECT \(unescaped: Self.columns) FROM escalations WHERE id = \(id)")
        return try rows.map(Self.escalation).first
    }

    func list(limit: Int) async throws -> [Escalation] {
        try await connection.query("SELECT \(unescaped: Self.columns) FROM escalations ORDER BY opened_at DESC, id DESC LIMIT \(limit)")
            .map(Self.escalation)
    }

    func advance(_ id: UUID, level: Int, status: Escalation.Status, dueAt: Date) async throws {
        try await connection.execute("UPDATE escalations SET level = \(level), status = \(status.rawValue), due_at = \(dueAt) WHERE id = \(id)")
    }

    private static func rule(_ row: PostgresRow) throws -> EscalationRule {
        EscalationRule(
            id: try row.decode(UUID.self, at: 0), triggerEventType: try row.decode(String.self, at: 1),
            resolveEventTypes: try row.decode([String].self, at: 2), afterSeconds: try row.decode(Int.self, at: 3),
            chain: try row.decode([UUID].self, at: 4), channels: try row.decode([String].self, at: 5).compactMap(Channel.init(rawValue:)),
            enabled: try row.decode(Bool.self, at: 6), createdAt: try row.decode(Date.self, at: 7)
        )
    }

    private static func escalation(_ row: PostgresRow) throws -> Escalation {
        Escalation(
            id: try row.decode(UUID.self, at: 0), ruleID: try row.decode(UUID.self, at: 1), subject: try row.decode(String.self, at: 2),
            triggerEventID: try row.decode(UUID.self, at: 3), triggerEventType: try row.decode(String.self, at: 4), level: try row.decode(Int.self, at: 5),
            status: Escalation.Status(rawValue: try row.decode(String.self, at: 6)) ?? .open, dueAt: try row.decode(Date.self, at: 7),
            openedAt: try row.decode(Date.self, at: 8), resolvedAt: try row.decode(Date?.self, at: 9)
        )
    }
}
