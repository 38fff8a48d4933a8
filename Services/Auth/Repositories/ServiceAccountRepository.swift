import ERPPostgres
import ERPProtocol
import Foundation

/// Service accounts of the current tenant. Secrets are 32 random bytes, so a SHA-256 of them
/// is as strong as a slow hash and keeps the token endpoint fast.
struct ServiceAccountRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    private static let columnList: StaticString = "tenant_id, id, name, description, permissions, created_at, secret_rotated_at, last_used_at"

    func insert(_ account: ServiceAccount, secretHash: [UInt8], createdBy: UserID?) async throws {
        try await connection.execute(
            """
            INSERT INTO service_accounts (tenant_id, id, name, description, permissions, secret_hash, created_by, created_at, secret_rotated_at)
            VALUES (\(account.tenantID.uuid), \(account.id.uuid), \(account.name), \(account.description), \(account.permissions.grants),
                    \(secretHash), \(createdBy?.uuid), \(account.createdAt), \(account.secretRotatedAt))
            """
        )
    }

    func all() async throws -> [ServiceAccount] {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM service_accounts WHERE deleted_at IS NULL ORDER BY created_at").map(Self.decode)
    }

    func find(_ id: ServiceAccountID) async throws -> ServiceAccount? {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM service_accounts WHERE id = \(id.uuid) AND deleted_at IS NULL").first.map(Self.decode)
    }

    /// The account when `secretHash` is its current secret, or its previous one within the overlap.
    func authenticate(_ id: ServiceAccountID, secretHash: [UInt8]) async throws -> ServiceAccount? {
        try await connection.query(
            """
            UPDATE service_accounts SET last_used_at = now()
            WHERE id = \(id.uuid) AND deleted_at IS NULL
              AND (secret_hash = \(secretHash) OR (previous_secret_hash = \(secretHash) AND previous_secret_valid_until > now()))
            RETURNING \(unescaped: Self.columnList)
            """
        ).first.map(Self.decode)
    }

    func rotate(_ id: ServiceAccountID, secretHash: [UInt8], previousValidUntil: Date) async throws -> ServiceAccount? {
        try await connection.query(
            """
            UPDATE service_accounts SET previous_secret_hash = secret_hash, previous_secret_valid_until = \(previousValidUntil),
                secret_hash = \(secretHash), secret_rotated_at = now()
            WHERE id = \(id.uuid) AND deleted_at IS NULL
            RETURNING \(unescaped: Self.columnList)
            """
        ).first.map(Self.decode)
    }

    func delete(_ id: ServiceAccountID) async throws -> Bool {
        try await connection.execute("UPDATE service_accounts SET deleted_at = now() WHERE id = \(id.uuid) AND deleted_at IS NULL") == 1
    }

    static func decode(_ row: PostgresRow) throws -> ServiceAccount {
        ServiceAccount(
            id: ServiceAccountID(try row.decode(UUID.self, named: "id")),
            tenantID: TenantID(try row.decode(UUID.self, named: "tenant_id")),
            name: try row.decode(String.self, named: "name"),
            description: try row.decode(String.self, named: "description"),
            permissions: (try? PermissionSet(grants: try row.decode([String].self, named: "permissions"))) ?? [],
            createdAt: try row.decode(Date.self, named: "created_at"),
            secretRotatedAt: try row.decode(Date.self, named: "secret_rotated_at"),
            lastUsedAt: try row.decode(Date?.self, named: "last_used_at")
        )
    }
}
