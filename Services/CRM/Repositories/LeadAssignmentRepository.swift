import ERPPostgres
import ERPProtocol
import Foundation

/// The round-robin rotation of lead owners.
struct LeadAssignmentRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// The members in rotation order.
    func members() async throws -> [UserID] {
        try await connection.query("SELECT user_id FROM lead_assignment_members ORDER BY position, user_id").map {
            UserID(try $0.decode(UUID.self, at: 0))
        }
    }

    /// Replaces the members (in the given order).
    func setMembers(_ users: [UserID], tenant: TenantID) async throws {
        try await connection.execute("DELETE FROM lead_assignment_members")
        for (position, user) in users.enumerated() {
            try await connection.execute(
                "INSERT INTO lead_assignment_members (tenant_id, user_id, position) VALUES (\(tenant.uuid), \(user.uuid), \(position))")
        }
    }

    /// The user assigned last, and how many assignments the rotation made.
    func state() async throws -> (last: UserID?, assignments: Int64) {
        guard let row = try await connection.query("SELECT last_user_id, assignments FROM lead_assignment_state").first else { return (nil, 0) }
        return (try row.decode(UUID?.self, at: 0).map(UserID.init), try row.decode(Int64.self, at: 1))
    }

    /// The next member after the last one assigned (wrapping), recorded as assigned; members
    /// deactivated since they joined the rotation are skipped. The state row is locked until the
    /// transaction ends, so concurrent assignments take turns.
    func next(tenant: TenantID) async throws -> UserID? {
        try await connection.execute("INSERT INTO lead_assignment_state (tenant_id) VALUES (\(tenant.uuid)) ON CONFLICT DO NOTHING")
        let last = try await connection.query("SELECT last_user_id FROM lead_assignment_state FOR UPDATE").first?.decode(UUID?.self, at: 0)
        let members = try await members()
        let statuses = try await MemberRepository(connection).statuses(of: members)
        let start = last.flatMap { last in members.firstIndex { $0.uuid == last } }.map { $0 + 1 } ?? 0
        // Users auth never announced stay eligible: the rotation accepted them as the caller.
        guard let chosen = members.indices.lazy.map({ members[(start + $0) % members.count] }).first(where: { statuses[$0] != .deactivated }) else {
            return nil
        }
        try await connection.execute(
            "UPDATE lead_assignment_state SET last_user_id = \(chosen.uuid), assignments = assignments + 1")
        return chosen
    }
}
