import ERPPostgres
import ERPProtocol
import Foundation

/// Webhook endpoints of the transaction's tenant.
struct WebhookRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    private static let columns: StaticString = "id, url, event_types, sealed_secret, enabled, consecutive_failures, disabled_at, disabled_reason, version, created_at"

    func create(_ endpoint: WebhookEndpoint, tenant: TenantID) async throws {
        try await connection.execute(
            """
            INSERT INTO webhook_endpoints (tenant_id, id, url, event_types, sealed_secret, enabled)
            VALUES (\(tenant.uuid), \(endpoint.id), \(endpoint.url), \(endpoint.eventTypes), \(endpoint.sealedSecret), \(endpoint.enabled))
            """
        )
    }

    func all() async throws -> [WebhookEndpoint] {
        try await connection.query("SELECT \(unescaped: Self.columns) FROM webhook_endpoints ORDER BY created_at, id").map(Self.endpoint)
    }

    func find(_ id: UUID, lock: Bool = false) async throws -> WebhookEndpoint? {
        let rows = lock
            ? try await connection.query("SELECT \(unescaped: Self.columns) FROM webhook_endpoints WHERE id = \(id) FOR UPDATE")
            : try await connection.query("SELECT \(unescaped: Self.columns) FROM webhook_endpoints WHERE id = \(id)")
        return try rows.map(Self.endpoint).first
    }

    /// Enabled endpoints subscribed to `eventType` (or to everything).
    func subscribers(of eventType: String) async throws -> [WebhookEndpoint] {
        try await connection.query(
            "SELECT \(unescaped: Self.columns) FROM webhook_endpoints WHERE enabled AND (\(eventType) = ANY(event_types) OR '*' = ANY(event_types))"
        ).map(Self.endpoint)
    }

    /// Changes URL, event types and enabled state when the version still matches; enabling
    /// again clears the failure count.
    func update(_ id: UUID, url: String, eventTypes: [String], enabled: Bool, expectedVersion: Int) async throws -> WebhookEndpoint? {
        try await connection.query(
            """
            UPDATE webhook_endpoints SET url = \(url), event_types = \(eventTypes), enabled = \(enabled),
                consecutive_failures = CASE WHEN \(enabled) AND NOT enabled THEN 0 ELSE consecutive_failures END,
                disabled_at = CASE WHEN \(enabled) THEN NULL ELSE disabled_at END,
                disabled_reason = CASE WHEN \(enabled) THEN NULL ELSE disabled_reason END,
                version = version + 1, updated_at = now()
            WHERE id = \(id) AND version = \(expectedVersion)
            RETURNING \(unescaped: Self.columns)
            """
        ).map(Self.endpoint).first
    }

    func delete(_ id: UUID) async throws -> Bool {
        try await connection.execute("DELETE FROM webhook_endpoints WHERE id = \(id)") == 1
    }

    /// Replaces the sealed secret (the same secret, re-sealed under the current key).
    func storeSealedSecret(_ id: UUID, _ sealed: [UInt8]) async throws {
        try await connection.execute("UPDATE webhook_endpoints SET sealed_secret = \(sealed) WHERE id = \(id)")
    }

    func recordSuccess(_ id: UUID) async throws {
        try await connection.execute("UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = \(id)")
    }

    /// Counts a failed attempt; returns the new count.
    func recordFailure(_ id: UUID) async throws -> Int {
        try await connection.query(
            "UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1 WHERE id = \(id) RETURNING consecutive_failures"
        ).first?.decode(Int.self, at: 0) ?? 0
    }

    func disable(_ id: UUID, at time: Date, reason: String) async throws {
        try await connection.execute(
            """
            UPDATE webhook_endpoints SET enabled = false, disabled_at = \(time), disabled_reason = \(reason), version = version + 1, updated_at = now()
            WHERE id = \(id)
            """
        )
    }

    private static func endpoint(_ row: PostgresRow) throws -> WebhookEndpoint {
        WebhookEndpoint(
            id: try row.decode(UUID.self, at: 0), url: try row.decode(String.self, at: 1), eventTypes: try row.decode([String].self, at: 2),
            sealedSecret: try row.decode([UInt8].self, at: 3), enabled: try row.decode(Bool.self, at: 4),
            consecutiveFailures: try row.decode(Int.self, at: 5), disabledAt: try row.decode(Date?.self, at: 6),
            disabledReason: try row.decode(String?.self, at: 7), version: try row.decode(Int.self, at: 8), createdAt: try row.decode(Date.self, at: 9)
        )
    }
}
