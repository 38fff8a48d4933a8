import ERPPostgres
import ERPProtocol
import Foundation

/// API keys of the current tenant, stored as SHA-256 of the (high-entropy) key.
struct APIKeyRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    private static let columnList: StaticString = "id, name, display_prefix, permissions, created_by, created_at, expires_at, revoked_at, last_used_at"

    func insert(tenant: TenantID, _ key: APIKey, secretHash: [UInt8]) async throws {
        try await connection.execute(
            """
            INSERT INTO api_keys (tenant_id, id, name, display_prefix, secret_hash, permissions, created_by, created_at, expires_at)
            VALUES (\(tenant.uuid), \(key.id), \(key.name), \(key.displayPrefix), \(secretHash), \(key.permissions.grants),
                    \(key.createdBy?.uuid), \(key.createdAt), \(key.expiresAt))
            """
        )
    }

    func all() async throws -> [APIKey] {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM api_keys ORDER BY created_at DESC").map(Self.decode)
    }

    func find(_ id: UUID) async throws -> APIKey? {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM api_keys WHERE id = \(id)").first.map(Self.decode)
    }

    /// The usable key with this hash, stamping its last use.
    func use(secretHash: [UInt8]) async throws -> APIKey? {
        try await connection.query(
            """
            UPDATE api_keys SET last_used_at = now()
            WHERE secret_hash = \(secretHash) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
            RETURNING \(unescaped: Self.columnList)
            """
        ).first.map(Self.decode)
    }

    func revoke(_ id: UUID) async throws -> APIKey? {
        try await connection.query(
            "UPDATE api_keys SET revoked_at = now() WHERE id = \(id) AND revoked_at IS NULL RETURNING \(unescaped: Self.columnList)"
        ).first.map(Self.decode)
    }

    static func decode(_ row: PostgresRow) throws -> APIKey {
        APIKey(
            id: try row.decode(UUID.self, named: "id"),
            name: try row.decode(String.self, named: "name"),
            displayPrefix: try row.decode(String.self, named: "display_prefix"),
            permissions: (try? PermissionSet(grants: try row.decode([String].self, named: "permissions"))) ?? [],
            createdBy: try row.decode(UUID?.self, named: "created_by").map(UserID.init),
            createdAt: try row.decode(Date.self, named: "created_at"),
            expiresAt: try row.decode(Date?.self, named: "expires_at"),
            revokedAt: try row.decode(Date?.self, named: "revoked_at"),
            lastUsedAt: try row.decode(Date?.self, named: "last_used_at")
        )
    }
}
