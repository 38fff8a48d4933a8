import ERPPostgres
import ERPProtocol
import Foundation

/// Organizations and their slug directory, on the connection of the caller's transaction.
struct OrganizationRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }


    func insert(_ organization: Organization) async throws {
        try await connection.execute(
            """
            INSERT INTO organizations (id, name, slug, locale, timezone, password_min_length, created_at, updated_at)
            VALUES (\(organization.id.uuid), \(organization.name), \(organization.slug), \(organization.locale), \(organization.timezone),
                    \(organization.passwordMinLength), \(organization.createdAt), \(organization.updatedAt))
            """
        )
        try await connection.execute("INSERT INTO organization_directory (slug, tenant_id) VALUES (\(organization.slug), \(organization.id.uuid))")
    }

    /// The organization of the current tenant transaction; `forUpdate` serialises seat checks.
    func find(_ id: TenantID, forUpdate: Bool = false) async throws -> Organization? {
        let rows = forUpdate
            ? try await connection.query("SELECT id, name, slug, locale, timezone, password_min_length, version, created_at, updated_at FROM organizations WHERE id = \(id.uuid) FOR UPDATE")
            : try await connection.query("SELECT id, name, slug, locale, timezone, password_min_length, version, created_at, updated_at FROM organizations WHERE id = \(id.uuid)")
        return try rows.first.map(Self.decode)
    }

    func update(_ organization: Organization) async throws -> Organization {
        let rows = try await connection.query(
            """
            UPDATE organizations SET name = \(organization.name), locale = \(organization.locale), timezone = \(organization.timezone),
                password_min_length = \(organization.passwordMinLength), version = version + 1, updated_at = now()
            WHERE id = \(organization.id.uuid)
            RETURNING id, name, slug, locale, timezone, password_min_length, version, created_at, updated_at
            """
        )
        return try Self.decode(rows[0])
    }

    /// The tenant a slug names (no tenant scope: logins start from the slug).
    func tenant(forSlug slug: String) async throws -> TenantID? {
        try await connection.query("SELECT tenant_id FROM organization_directory WHERE slug = \(slug)").first
            .map { TenantID(try $0.decode(UUID.self, at: 0)) }
    }

    static func decode(_ row: PostgresRow) throws -> Organization {
        Organization(
            id: TenantID(try row.decode(UUID.self, named: "id")),
            name: try row.decode(String.self, named: "name"),
            slug: try row.decode(String.self, named: "slug"),
            locale: try row.decode(String.self, named: "locale"),
            timezone: try row.decode(String.self, named: "timezone"),
            passwordMinLength: try row.decode(Int?.self, named: "password_min_length"),
            version: try row.decode(Int.self, named: "version"),
            createdAt: try row.decode(Date.self, named: "created_at"),
            updatedAt: try row.decode(Date.self, named: "updated_at")
        )
    }
}
