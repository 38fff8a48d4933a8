import ERPPostgres
import ERPProtocol
import Foundation

/// The organization's members as auth's events described them (see `Member`).
struct MemberRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// Stores `member` unless the stored row reflects a later event: redelivered and overtaken
    /// events then change nothing. Returns whether the row was written.
    @discardableResult
    func apply(_ member: Member, tenant: TenantID) async throws -> Bool {
        try await connection.execute(
            """
            INSERT INTO members (tenant_id, user_id, name, email, status, updated_at)
            VALUES (\(tenant.uuid), \(member.userID.uuid), \(member.name), \(member.email), \(member.status.rawValue), \(member.updatedAt))
            ON CONFLICT (tenant_id, user_id) DO UPDATE
            SET name = EXCLUDED.name, email = EXCLUDED.email, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
            WHERE members.updated_at <= EXCLUDED.updated_at
            """
        ) == 1
    }

    /// The status of each of `users` that auth announced (others are missing from the answer).
    func statuses(of users: [UserID]) async throws -> [UserID: Member.Status] {
        guard !users.isEmpty else { return [:] }
        let rows = try await connection.query("SELECT user_id, status FROM members WHERE user_id = ANY(\(users.map(\.uuid)))")
        var statuses: [UserID: Member.Status] = [:]
        for row in rows {
            statuses[UserID(try row.decode(UUID.self, at: 0))] = Member.Status(rawValue: try row.decode(String.self, at: 1)) ?? .deactivated
        }
        return statuses
    }

    /// Members by name (then id), after the member `after`, optionally of one status.
    func page(status: Member.Status?, after: UserID?, limit: Int) async throws -> [Member] {
        try await connection.query(
            """
            SELECT user_id, name, email, status, updated_at FROM members
            WHERE (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
              AND (\(after?.uuid)::uuid IS NULL OR (sort_name, user_id) > (SELECT sort_name, user_id FROM members WHERE user_id = \(after?.uuid)))
            ORDER BY sort_name, user_id LIMIT \(limit)
            """
        ).map(Self.decode)
    }

    private static func decode(_ row: PostgresRow) throws -> Member {
        let status = try row.decode(String.self, at: 3)
        return Member(
            userID: UserID(try row.decode(UUID.self, at: 0)), name: try row.decode(String.self, at: 1), email: try row.decode(String.self, at: 2),
            status: Member.Status(rawValue: status) ?? .deactivated, updatedAt: try row.decode(Date.self, at: 4))
    }
}
