import ERPPostgres
import ERPProtocol
import Foundation

/// The tenant's own event rules (overrides of built-in ones and rules of its own).
struct RuleRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    func all() async throws -> [EventRule] {
        try await connection.query("SELECT \(unescaped: "id, event_type, channel, audience, enabled, transactional, version, created_at") FROM event_rules ORDER BY event_type, channel")
            .map(Self.rule)
    }

    func forEvent(_ eventType: String) async throws -> [EventRule] {
        try await connection.query(
            "SELECT \(unescaped: "id, event_type, channel, audience, enabled, transactional, version, created_at") FROM event_rules WHERE event_type = \(eventType)"
        ).map(Self.rule)
    }

    func find(_ id: UUID) async throws -> EventRule? {
        try await connection.query(
            "SELECT \(unescaped: "id, event_type, channel, audience, enabled, transactional, version, created_at") FROM event_rules WHERE id = \(id)"
        ).map(Self.rule).first
    }

    /// Inserts, or replaces the rule of the same event type and channel; nil when `expectedVersion`
    /// (for an existing rule) no longer matches.
    func save(_ rule: EventRule, tenant: TenantID, expectedVersion: Int?) async throws -> EventRule? {
        let rows = try await connection.query(
            """
            INSERT INTO event_rules (tenant_id, id, event_type, channel, audience, enabled, transactional)
            VALUES (\(tenant.uuid), \(UUID()), \(rule.eventType), \(rule.channel.rawValue), \(rule.audience.description), \(rule.enabled), \(rule.transactional))
            ON CONFLICT (tenant_id, event_type, channel) DO UPDATE SET audience = EXCLUDED.audience, enabled = EXCLUDED.enabled,
                transactional = EXCLUDED.transactional, version = event_rules.version + 1, updated_at = now()
            WHERE \(expectedVersion == nil) OR event_rules.version = \(expectedVersion ?? 0)
            RETURNING \(unescaped: "id, event_type, channel, audience, enabled, transactional, version, created_at")
            """
        )
        return try rows.map(Self.rule).first
    }

    func delete(_ id: UUID) async throws -> Bool {
        try await connection.execute("DELETE FROM event_rules WHERE id = \(id)") == 1
    }

    private static func rule(_ row: PostgresRow) throws -> EventRule {
        EventRule(
            id: try row.decode(UUID.self, at: 0), eventType: try row.decode(String.self, at: 1),
            channel: Channel(rawValue: try row.decode(String.self, at: 2)) ?? .email,
            audience: Audience(try row.decode(String.self, at: 3)) ?? .owners, enabled: try row.decode(Bool.self, at: 4),
            transactional: try row.decode(Bool.self, at: 5), version: try row.decode(Int.self, at: 6), createdAt: try row.decode(Date.self, at: 7)
        )
    }
}
