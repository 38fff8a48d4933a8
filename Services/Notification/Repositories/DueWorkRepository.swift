import ERPPostgres
import ERPProtocol
import Foundation

/// The scheduler's index of due work across tenants (ids and times only).
struct DueWorkRepository {
    enum Kind: String, Sendable {
        case delivery
        case escalation
    }

    struct Item: Sendable, Equatable {
        var kind: Kind
        var tenantID: TenantID
        var itemID: UUID
    }

    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    func schedule(_ kind: Kind, tenant: TenantID, item: UUID, at time: Date) async throws {
        try await connection.execute(
            """
            INSERT INTO due_work (kind, tenant_id, item_id, due_at) VALUES (\(kind.rawValue), \(tenant.uuid), \(item), \(time))
            ON CONFLICT (kind, item_id) DO UPDATE SET due_at = EXCLUDED.due_at
            """
        )
    }

    func remove(_ kind: Kind, item: UUID) async throws {
        try await connection.execute("DELETE FROM due_work WHERE kind = \(kind.rawValue) AND item_id = \(item)")
    }

    /// Takes up to `limit` due items and pushes each one's due time to `now + lease`: another
    /// replica skips the locked rows now and, should this process die mid-way, finds them again
    /// once the lease ran out — so nothing due is lost to a crash or restart.
    func claim(now: Date, limit: Int, lease: TimeInterval) async throws -> [Item] {
        try await connection.query(
            """
            WITH due AS (
                SELECT kind, item_id FROM due_work WHERE due_at <= \(now) ORDER BY due_at LIMIT \(limit) FOR UPDATE SKIP LOCKED
            )
            UPDATE due_work w SET due_at = \(now.addingTimeInterval(lease)) FROM due
            WHERE w.kind = due.kind AND w.item_id = due.item_id
            RETURNING w.kind, w.tenant_id, w.item_id
            """
        ).compactMap { row in
            guard let kind = Kind(rawValue: try row.decode(String.self, at: 0)) else { return nil }
            return Item(kind: kind, tenantID: TenantID(try row.decode(UUID.self, at: 1)), itemID: try row.decode(UUID.self, at: 2))
        }
    }
}
