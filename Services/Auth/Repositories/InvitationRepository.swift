import ERPPostgres
import ERPProtocol
import Foundation

/// Invitations of the tenant of the caller's transaction.
struct InvitationRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    private static let columnList: StaticString = "id, email, role_ids, invited_by, expires_at, accepted_at, revoked_at, created_at"

    /// Stores a new invitation, first retiring an expired open one for the same email.
    func insert(tenant: TenantID, _ invitation: Invitation, tokenHash: [UInt8]) async throws {
        try await connection.execute(
            """
            UPDATE invitations SET revoked_at = now()
            WHERE email_lower = \(invitation.email.lowercased()) AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at <= now()
            """
        )
        try await connection.execute(
            """
            INSERT INTO invitations (tenant_id, id, email, email_lower, role_ids, token_hash, invited_by, expires_at, created_at)
            VALUES (\(tenant.uuid), \(invitation.id), \(invitation.email), \(invitation.email.lowercased()), \(invitation.roleIDs.map(\.uuid)),
                    \(tokenHash), \(invitation.invitedBy?.uuid), \(invitation.expiresAt), \(invitation.createdAt))
            """
        )
    }

    func find(_ id: UUID) async throws -> Invitation? {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM invitations WHERE id = \(id)").first.map(Self.decode)
    }

    /// The invitation a token names, locked for acceptance.
    func find(tokenHash: [UInt8]) async throws -> Invitation? {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM invitations WHERE token_hash = \(tokenHash) FOR UPDATE").first.map(Self.decode)
    }

    func pending() async throws -> [Invitation] {
        try await connection.query(
            "SELECT \(unescaped: Self.columnList) FROM invitations WHERE accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() ORDER BY created_at"
        ).map(Self.decode)
    }

    /// Open invitations count against the user limit: each is a seat promised.
    func pendingCount() async throws -> Int {
        try await connection.query(
            "SELECT count(*)::int8 FROM invitations WHERE accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()"
        ).first!.decode(Int.self, at: 0)
    }

    func markAccepted(_ id: UUID) async throws {
        try await connection.execute("UPDATE invitations SET accepted_at = now() WHERE id = \(id)")
    }

    /// Returns false when it was not open.
    func revoke(_ id: UUID) async throws -> Bool {
        try await connection.execute("UPDATE invitations SET revoked_at = now() WHERE id = \(id) AND accepted_at IS NULL AND revoked_at IS NULL") == 1
    }

    static func decode(_ row: PostgresRow) throws -> Invitation {
        Invitation(
            id: try row.decode(UUID.self, named: "id"),
            email: try row.decode(String.self, named: "email"),
            roleIDs: try row.decode([UUID].self, named: "role_ids").map(RoleID.init),
            invitedBy: try row.decode(UUID?.self, named: "invited_by").map(UserID.init),
            expiresAt: try row.decode(Date.self, named: "expires_at"),
            acceptedAt: try row.decode(Date?.self, named: "accepted_at"),
            revokedAt: try row.decode(Date?.self, named: "revoked_at"),
            createdAt: try row.decode(Date.self, named: "created_at")
        )
    }
}
