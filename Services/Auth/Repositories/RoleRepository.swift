import ERPPostgres
import ERPProtocol
import Foundation

/// Roles of the tenant of the caller's transaction and their assignment to users.
struct RoleRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    private static let columnList: StaticString = "id, name, description, builtin, permissions, version, created_at, updated_at"

    /// Gives a new organization its copies of the built-in roles; returns them by kind.
    func seedBuiltInRoles(tenant: TenantID) async throws -> [BuiltInRole: Role] {
        var roles: [BuiltInRole: Role] = [:]
        for builtIn in BuiltInRole.allCases {
            let role = Role(
                id: .random(), name: builtIn.name, description: builtIn.summary, builtIn: builtIn, storedPermissions: [],
                version: 1, createdAt: Date(), updatedAt: Date()
            )
            try await connection.execute(
                """
                INSERT INTO roles (tenant_id, id, name, description, builtin, permissions)
                VALUES (\(tenant.uuid), \(role.id.uuid), \(role.name), \(role.description), \(builtIn.rawValue), \([String]()))
                """
            )
            roles[builtIn] = role
        }
        return roles
    }

    func all() async throws -> [Role] {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM roles ORDER BY builtin IS NULL, created_at, name").map(Self.decode)
    }

    func find(_ id: RoleID) async throws -> Role? {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM roles WHERE id = \(id.uuid)").first.map(Self.decode)
    }

    func find(builtIn: BuiltInRole) async throws -> Role? {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM roles WHERE builtin = \(builtIn.rawValue)").first.map(Self.decode)
    }

    func insert(tenant: TenantID, _ role: Role) async throws {
        try await connection.execute(
            """
            INSERT INTO roles (tenant_id, id, name, description, permissions)
            VALUES (\(tenant.uuid), \(role.id.uuid), \(role.name), \(role.description), \(role.storedPermissions.grants))
            """
        )
    }

    func update(_ role: Role) async throws -> Role {
        try await connection.query(
            """
            UPDATE roles SET name = \(role.name), description = \(role.description), permissions = \(role.storedPermissions.grants),
                version = version + 1, updated_at = now()
            WHERE id = \(role.id.uuid) RETURNING \(unescaped: Self.columnList)
            """
        ).first.map(Self.decode)!
    }

    func delete(_ id: RoleID) async throws {
        try await connection.execute("DELETE FROM roles WHERE id = \(id.uuid)")
    }

    /// The roles a user holds.
    func roles(of user: UserID) async throws -> [Role] {
        try await connection.query(
            """
            SELECT r.id, r.name, r.description, r.builtin, r.permissions, r.version, r.created_at, r.updated_at
            FROM roles r JOIN user_roles ur ON ur.role_id = r.id AND ur.tenant_id = r.tenant_id
            WHERE ur.user_id = \(user.uuid) ORDER BY r.name
            """
        ).map(Self.decode)
    }

    /// Roles of many users at once (for lists).
    func roleNames(of users: [UserID]) async throws -> [UserID: [String]] {
        let rows = try await connection.query(
            """
            SELECT ur.user_id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id AND r.tenant_id = ur.tenant_id
            WHERE ur.user_id = ANY(\(users.map(\.uuid))) ORDER BY r.name
            """
        )
        var result: [UserID: [String]] = [:]
        for row in rows {
            result[UserID(try row.decode(UUID.self, at: 0)), default: []].append(try row.decode(String.self, at: 1))
        }
        return result
    }

    /// Returns false when the user already had the role.
    @discardableResult
    func assign(tenant: TenantID, role: RoleID, to user: UserID) async throws -> Bool {
        try await connection.execute(
            "INSERT INTO user_roles (tenant_id, user_id, role_id) VALUES (\(tenant.uuid), \(user.uuid), \(role.uuid)) ON CONFLICT DO NOTHING"
        ) == 1
    }

    @discardableResult
    func unassign(role: RoleID, from user: UserID) async throws -> Bool {
        try await connection.execute("DELETE FROM user_roles WHERE user_id = \(user.uuid) AND role_id = \(role.uuid)") == 1
    }

    /// Active users holding the Owner role. Locks those rows, so two concurrent removals of the
    /// last two owners cannot both succeed.
    func activeOwnerIDs() async throws -> [UserID] {
        try await connection.query(
            """
            SELECT u.id FROM users u
            JOIN user_roles ur ON ur.user_id = u.id AND ur.tenant_id = u.tenant_id
            JOIN roles r ON r.id = ur.role_id AND r.tenant_id = ur.tenant_id
            WHERE r.builtin = 'owner' AND u.status = 'active'
            FOR UPDATE OF u
            """
        ).map { UserID(try $0.decode(UUID.self, at: 0)) }
    }

    static func decode(_ row: PostgresRow) throws -> Role {
        let grants = try row.decode([String].self, named: "permissions")
        return Role(
            id: RoleID(try row.decode(UUID.self, named: "id")),
            name: try row.decode(String.self, named: "name"),
            description: try row.decode(String.self, named: "description"),
            builtIn: try row.decode(String?.self, named: "builtin").flatMap(BuiltInRole.init(rawValue:)),
            storedPermissions: (try? PermissionSet(grants: grants)) ?? [],
            version: try row.decode(Int.self, named: "version"),
            createdAt: try row.decode(Date.self, named: "created_at"),
            updatedAt: try row.decode(Date.self, named: "updated_at")
        )
    }
}
