import ERPPostgres
import ERPProtocol
import Foundation

/// The people and the organization of the transaction's tenant, as auth's events describe them.
struct DirectoryRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    func saveOrganization(tenant: TenantID, name: String, locale: String) async throws {
        try await connection.execute(
            """
            INSERT INTO organizations (tenant_id, name, locale) VALUES (\(tenant.uuid), \(name), \(locale))
            ON CONFLICT (tenant_id) DO UPDATE SET name = EXCLUDED.name, locale = EXCLUDED.locale, updated_at = now()
            """
        )
    }

    func organization() async throws -> (name: String, locale: String)? {
        guard let row = try await connection.query("SELECT name, locale FROM organizations").first else { return nil }
        return (try row.decode(String.self, at: 0), try row.decode(String.self, at: 1))
    }

    /// Creates or updates a user; `isOwner` only ever turns on (the registering owner).
    func saveUser(tenant: TenantID, user: UUID, email: String, name: String, roles: [String]?, active: Bool, isOwner: Bool, locale: String?) async throws {
        try await connection.execute(
            """
            INSERT INTO recipients (tenant_id, user_id, email, name, roles, active, is_owner, locale)
            VALUES (\(tenant.uuid), \(user), \(email), \(name), \(roles ?? []), \(active), \(isOwner), \(locale ?? "en"))
            ON CONFLICT (tenant_id, user_id) DO UPDATE SET email = EXCLUDED.email,
                name = CASE WHEN EXCLUDED.name = '' THEN recipients.name ELSE EXCLUDED.name END,
                roles = CASE WHEN \(roles == nil) THEN recipients.roles ELSE EXCLUDED.roles END,
                active = EXCLUDED.active, is_owner = recipients.is_owner OR EXCLUDED.is_owner,
                locale = CASE WHEN \(locale == nil) THEN recipients.locale ELSE EXCLUDED.locale END,
                updated_at = now()
            """
        )
    }

    func setRoles(user: UUID, roles: [String]) async throws {
        try await connection.execute("UPDATE recipients SET roles = \(roles), updated_at = now() WHERE user_id = \(user)")
    }

    func user(_ id: UUID) async throws -> Recipient? {
        try await connection.query("SELECT user_id, email, name, locale FROM recipients WHERE user_id = \(id)").map(Self.recipient).first
    }

    /// Active owners (the registering owner and anyone with the Owner role).
    func owners() async throws -> [Recipient] {
        try await connection.query(
            "SELECT user_id, email, name, locale FROM recipients WHERE active AND (is_owner OR 'Owner' = ANY(roles)) ORDER BY user_id"
        ).map(Self.recipient)
    }

    func withRoles(_ roles: [String]) async throws -> [Recipient] {
        try await connection.query(
            "SELECT user_id, email, name, locale FROM recipients WHERE active AND roles && \(roles) ORDER BY user_id"
        ).map(Self.recipient)
    }

    private static func recipient(_ row: PostgresRow) throws -> Recipient {
        Recipient(userID: try row.decode(UUID.self, at: 0), email: try row.decode(String.self, at: 1),
                  name: try row.decode(String.self, at: 2), locale: try row.decode(String.self, at: 3))
    }
}
