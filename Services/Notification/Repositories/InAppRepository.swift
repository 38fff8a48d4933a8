import ERPPostgres
import ERPProtocol
import Foundation

/// In-app notifications of the transaction's tenant.
struct InAppRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// Stores the notification of a delivery once (a retried delivery stores nothing new).
    func insert(tenant: TenantID, user: UUID, delivery: Delivery, at time: Date) async throws -> InAppNotification? {
        try await connection.query(
            """
            INSERT INTO in_app_notifications (tenant_id, id, user_id, delivery_id, event_type, title, body, created_at)
            VALUES (\(tenant.uuid), \(UUID()), \(user), \(delivery.id), \(delivery.eventType), \(delivery.message.subject), \(delivery.message.text), \(time))
            ON CONFLICT (tenant_id, delivery_id) DO NOTHING
            RETURNING id, sequence, event_type, title, body, created_at, read_at
            """
        ).map(Self.notification).first
    }

    /// The user's notifications after `sequence` (oldest first, for the stream) …
    func after(user: UUID, sequence: Int64, limit: Int) async throws -> [InAppNotification] {
        try await connection.query(
            """
            SELECT id, sequence, event_type, title, body, created_at, read_at FROM in_app_notifications
            WHERE user_id = \(user) AND sequence > \(sequence) ORDER BY sequence LIMIT \(limit)
            """
        ).map(Self.notification)
    }

    /// … or newest first before `sequence` (for the list).
    func list(user: UUID, before sequence: Int64?, unreadOnly: Bool, limit: Int) async throws -> [InAppNotification] {
        try await connection.query(
            """
            SELECT id, sequence, event_type, title, body, created_at, read_at FROM in_app_notifications
            WHERE user_id = \(user) AND (\(sequence)::int8 IS NULL OR sequence < \(sequence)) AND (NOT \(unreadOnly) OR read_at IS NULL)
            ORDER BY sequence DESC LIMIT \(limit)
            """
        ).map(Self.notification)
    }

    func unreadCount(user: UUID) async throws -> Int {
        try await connection.query("SELECT count(*) FROM in_app_notifications WHERE user_id = \(user) AND read_at IS NULL")
            .first?.decode(Int.self, at: 0) ?? 0
    }

    func latestSequence(user: UUID) async throws -> Int64 {
        try await connection.query("SELECT coalesce(max(sequence), 0) FROM in_app_notifications WHERE user_id = \(user)")
            .first?.decode(Int64.self, at: 0) ?? 0
    }

    /// Marks one (or, with nil, every) notification of the user read; returns how many changed.
    func markRead(user: UUID, id: UUID?, at time: Date) async throws -> Int {
        try await connection.execute(
            """
            UPDATE in_app_notifications SET read_at = \(time)
            WHERE user_id = \(user) AND read_at IS NULL AND (\(id)::uuid IS NULL OR id = \(id))
            """
        )
    }

    func exists(user: UUID, id: UUID) async throws -> Bool {
        try await connection.query("SELECT 1 FROM in_app_notifications WHERE user_id = \(user) AND id = \(id)").first != nil
    }

    private static func notification(_ row: PostgresRow) throws -> InAppNotification {
        InAppNotification(
            id: try row.decode(UUID.self, at: 0), sequence: try row.decode(Int64.self, at: 1), eventType: try row.decode(String.self, at: 2),
            title: try row.decode(String.self, at: 3), body: try row.decode(String.self, at: 4), createdAt: try row.decode(Date.self, at: 5),
            readAt: try row.decode(Date?.self, at: 6)
        )
    }
}
