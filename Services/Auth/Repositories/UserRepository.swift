import ERPPostgres
import ERPProtocol
import Foundation

/// Users of the tenant of the caller's transaction, and the global login directory that maps
/// an email to the tenants it can log in to.
struct UserRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }


    func insert(_ user: User) async throws {
        try await connection.execute(
            """
            INSERT INTO users (tenant_id, id, email, email_lower, name, status, password_hash, email_verified_at, locale, timezone, created_at, updated_at)
            VALUES (\(user.tenantID.uuid), \(user.id.uuid), \(user.email), \(user.email.lowercased()), \(user.name), \(user.status.rawValue),
                    \(user.passwordHash), \(user.emailVerifiedAt), \(user.locale), \(user.timezone), \(user.createdAt), \(user.updatedAt))
            """
        )
        try await connection.execute(
            "INSERT INTO login_directory (email_lower, tenant_id, user_id) VALUES (\(user.email.lowercased()), \(user.tenantID.uuid), \(user.id.uuid))"
        )
    }

    func find(_ id: UserID) async throws -> User? {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM users WHERE id = \(id.uuid)").first.map(Self.decode)
    }

    func find(email: String) async throws -> User? {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM users WHERE email_lower = \(email.lowercased())").first.map(Self.decode)
    }

    /// Keyset page ordered by creation; `search` matches email or name (case-insensitive).
    func list(search: String?, status: User.Status?, after: UserCursor?, limit: Int) async throws -> [User] {
        let pattern = search.map { "%" + Self.escapeLike($0.lowercased()) + "%" }
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columnList) FROM users
            WHERE (\(pattern)::text IS NULL OR email_lower LIKE \(pattern) OR lower(name) LIKE \(pattern))
              AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
              AND (\(after?.createdAt)::timestamptz IS NULL OR (created_at, id) > (\(after?.createdAt), \(after?.id)))
            ORDER BY created_at, id
            LIMIT \(limit)
            """
        )
        return try rows.map(Self.decode)
    }

    func updateProfile(_ id: UserID, name: String, locale: String?, timezone: String?) async throws -> User? {
        try await connection.query(
            """
            UPDATE users SET name = \(name), locale = \(locale), timezone = \(timezone), version = version + 1, updated_at = now()
            WHERE id = \(id.uuid) RETURNING \(unescaped: Self.columnList)
            """
        ).first.map(Self.decode)
    }

    func setPassword(_ id: UserID, hash: String) async throws {
        try await connection.execute("UPDATE users SET password_hash = \(hash), version = version + 1, updated_at = now() WHERE id = \(id.uuid)")
    }

    /// Replaces a hash after a login proved the password, when the parameters got stronger.
    func upgradePasswordHash(_ id: UserID, from old: String, to new: String) async throws {
        try await connection.execute("UPDATE users SET password_hash = \(new) WHERE id = \(id.uuid) AND password_hash = \(old)")
    }

    func setStatus(_ id: UserID, _ status: User.Status) async throws -> User? {
        try await connection.query(
            "UPDATE users SET status = \(status.rawValue), version = version + 1, updated_at = now() WHERE id = \(id.uuid) RETURNING \(unescaped: Self.columnList)"
        ).first.map(Self.decode)
    }

    func markEmailVerified(_ id: UserID) async throws {
        try await connection.execute("UPDATE users SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now() WHERE id = \(id.uuid)")
    }

    func recordLogin(_ id: UserID) async throws {
        try await connection.execute("UPDATE users SET last_login_at = now() WHERE id = \(id.uuid)")
    }

    /// Active users: what the plan's user limit counts.
    func activeCount() async throws -> Int {
        try await connection.query("SELECT count(*)::int8 FROM users WHERE status = 'active'").first!.decode(Int.self, at: 0)
    }

    /// The tenants and users an email can log in as (global; no tenant scope needed).
    func directory(email: String) async throws -> [(TenantID, UserID)] {
        try await connection.query("SELECT tenant_id, user_id FROM login_directory WHERE email_lower = \(email.lowercased()) ORDER BY tenant_id LIMIT 20")
            .map { (TenantID(try $0.decode(UUID.self, at: 0)), UserID(try $0.decode(UUID.self, at: 1))) }
    }

    private static let columnList: StaticString = """
        tenant_id, id, email, name, status, password_hash, email_verified_at, locale, timezone, totp_enabled_at, last_login_at, version, created_at, updated_at
        """

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    static func decode(_ row: PostgresRow) throws -> User {
        User(
            tenantID: TenantID(try row.decode(UUID.self, named: "tenant_id")),
            id: UserID(try row.decode(UUID.self, named: "id")),
            email: try row.decode(String.self, named: "email"),
            name: try row.decode(String.self, named: "name"),
            status: User.Status(rawValue: try row.decode(String.self, named: "status")) ?? .deactivated,
            passwordHash: try row.decode(String?.self, named: "password_hash"),
            emailVerifiedAt: try row.decode(Date?.self, named: "email_verified_at"),
            locale: try row.decode(String?.self, named: "locale"),
            timezone: try row.decode(String?.self, named: "timezone"),
            totpEnabledAt: try row.decode(Date?.self, named: "totp_enabled_at"),
            lastLoginAt: try row.decode(Date?.self, named: "last_login_at"),
            version: try row.decode(Int.self, named: "version"),
            createdAt: try row.decode(Date.self, named: "created_at"),
            updatedAt: try row.decode(Date.self, named: "updated_at")
        )
    }
}

/// The sort key of the last user of a page.
struct UserCursor: Codable, Sendable {
    var createdAt: Date
    var id: UUID
}
