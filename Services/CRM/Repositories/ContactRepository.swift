import ERPPostgres
import ERPProtocol
import Foundation

/// Contacts of the tenant of the caller's transaction, and their company links.
struct ContactRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    static let columns: StaticString = """
        r.id, r.first_name, r.last_name, r.email, r.phone, r.title, r.description, r.owner_id, r.tags, r.custom_fields, r.version, \
        r.created_by, r.created_at, r.updated_at, r.deleted_at, r.merged_into
        """

    static let table = RecordLister.Table(name: "contacts", recordType: .contact, columns: columns)

    /// Sortable fields of `GET /v1/contacts` (`name` is last name, then first name).
    static let sortFields: [SortField] = [
        SortField(name: "name", expression: "r.sort_name", sqlType: "text"),
        SortField(name: "email", expression: "coalesce(r.email, '')", sqlType: "text"),
        .createdAt, .updatedAt,
    ]

    /// The contact with its company links, also when soft-deleted.
    func find(_ id: UUID, forUpdate: Bool = false) async throws -> Contact? {
        let rows = forUpdate
            ? try await connection.query("SELECT \(unescaped: Self.columns) FROM contacts r WHERE r.id = \(id) FOR UPDATE")
            : try await connection.query("SELECT \(unescaped: Self.columns) FROM contacts r WHERE r.id = \(id)")
        guard var contact = try rows.first.map(Self.decode) else { return nil }
        contact.companies = try await links(contact: id)
        return contact
    }

    func liveID(email: String) async throws -> UUID? {
        try await connection.query("SELECT id FROM contacts WHERE email = \(email) AND deleted_at IS NULL").first?.decode(UUID.self, at: 0)
    }

    func insert(_ contact: Contact, tenant: TenantID) async throws {
        try await connection.execute(
            """
            INSERT INTO contacts (tenant_id, id, first_name, last_name, email, phone, title, description, owner_id, tags, custom_fields, version,
                created_by, created_at, updated_at, deleted_at, merged_into)
            VALUES (\(tenant.uuid), \(contact.id), \(contact.firstName), \(contact.lastName), \(contact.email), \(contact.phone), \(contact.title),
                \(contact.description), \(contact.ownerID?.uuid), \(contact.tags), \(PostgresJSON(contact.customFields)), \(contact.version),
                \(contact.createdBy), \(contact.createdAt), \(contact.updatedAt), \(contact.deletedAt), \(contact.mergedInto))
            """
        )
    }

    func update(_ contact: Contact, expectedVersion: Int64) async throws -> Bool {
        try await connection.execute(
            """
            UPDATE contacts SET first_name = \(contact.firstName), last_name = \(contact.lastName), email = \(contact.email),
                phone = \(contact.phone), title = \(contact.title), description = \(contact.description), owner_id = \(contact.ownerID?.uuid),
                tags = \(contact.tags), custom_fields = \(PostgresJSON(contact.customFields)), version = \(contact.version),
                updated_at = \(contact.updatedAt), deleted_at = \(contact.deletedAt), merged_into = \(contact.mergedInto)
            WHERE id = \(contact.id) AND version = \(expectedVersion)
            """
        ) == 1
    }

    // MARK: Company links

    /// The contact's links to live companies, primary first.
    func links(contact: UUID) async throws -> [ContactLink] {
        try await connection.query(
            """
            SELECT l.contact_id, l.company_id, c.name AS company_name, '' AS contact_name, l.role, l.is_primary, l.created_at
            FROM contact_companies l JOIN companies c ON c.id = l.company_id
            WHERE l.contact_id = \(contact) AND c.deleted_at IS NULL
            ORDER BY l.is_primary DESC, l.created_at, l.company_id
            """
        ).map(Self.decodeLink)
    }

    /// The live contacts linked to `company`, oldest link first, after `(createdAt, contactID)`.
    func links(company: UUID, after: (Date, UUID)?, limit: Int) async throws -> [ContactLink] {
        try await connection.query(
            """
            SELECT l.contact_id, l.company_id, '' AS company_name,
                trim(p.first_name || ' ' || p.last_name) AS contact_name, l.role, l.is_primary, l.created_at
            FROM contact_companies l JOIN contacts p ON p.id = l.contact_id
            WHERE l.company_id = \(company) AND p.deleted_at IS NULL
              AND (\(after?.0)::timestamptz IS NULL OR (l.created_at, l.contact_id) > (\(after?.0), \(after?.1)))
            ORDER BY l.created_at, l.contact_id LIMIT \(limit)
            """
        ).map(Self.decodeLink)
    }

    /// Adds or changes the link; a primary link makes the contact's other links non-primary.
    func link(contact: UUID, company: UUID, role: String, isPrimary: Bool, at: Date, tenant: TenantID) async throws {
        if isPrimary {
            try await connection.execute(
                "UPDATE contact_companies SET is_primary = false WHERE contact_id = \(contact) AND company_id <> \(company) AND is_primary")
        }
        try await connection.execute(
            """
            INSERT INTO contact_companies (tenant_id, contact_id, company_id, role, is_primary, created_at)
            VALUES (\(tenant.uuid), \(contact), \(company), \(role), \(isPrimary), \(at))
            ON CONFLICT (tenant_id, contact_id, company_id) DO UPDATE SET role = EXCLUDED.role, is_primary = EXCLUDED.is_primary
            """
        )
    }

    /// Removes the link; false when there was none.
    func unlink(contact: UUID, company: UUID) async throws -> Bool {
        try await connection.execute("DELETE FROM contact_companies WHERE contact_id = \(contact) AND company_id = \(company)") == 1
    }

    /// Moves a merged contact's links to the survivor (keeping the survivor's own link to a
    /// company and its primary flag).
    func moveLinks(from duplicate: UUID, to survivor: UUID, tenant: TenantID) async throws {
        try await connection.execute(
            """
            INSERT INTO contact_companies (tenant_id, contact_id, company_id, role, is_primary, created_at)
            SELECT \(tenant.uuid), \(survivor), l.company_id, l.role,
                l.is_primary AND NOT EXISTS (SELECT 1 FROM contact_companies s WHERE s.contact_id = \(survivor) AND s.is_primary), l.created_at
            FROM contact_companies l WHERE l.contact_id = \(duplicate)
            ON CONFLICT (tenant_id, contact_id, company_id) DO NOTHING
            """
        )
        try await connection.execute("DELETE FROM contact_companies WHERE contact_id = \(duplicate)")
    }

    /// Moves a merged company's contact links to the survivor company (a contact linked to both
    /// keeps its survivor link, primary if either link was).
    func moveCompanyLinks(from duplicate: UUID, to survivor: UUID, tenant: TenantID) async throws {
        try await connection.execute(
            """
            WITH moved AS (DELETE FROM contact_companies WHERE company_id = \(duplicate) RETURNING contact_id, role, is_primary, created_at)
            INSERT INTO contact_companies (tenant_id, contact_id, company_id, role, is_primary, created_at)
            SELECT \(tenant.uuid), contact_id, \(survivor), role, is_primary, created_at FROM moved
            ON CONFLICT (tenant_id, contact_id, company_id) DO UPDATE SET is_primary = contact_companies.is_primary OR EXCLUDED.is_primary
            """
        )
    }

    static func decodeLink(_ row: PostgresRow) throws -> ContactLink {
        ContactLink(
            contactID: try row.decode(UUID.self, named: "contact_id"),
            companyID: try row.decode(UUID.self, named: "company_id"),
            companyName: try row.decode(String.self, named: "company_name"),
            contactName: try row.decode(String.self, named: "contact_name"),
            role: try row.decode(String.self, named: "role"),
            isPrimary: try row.decode(Bool.self, named: "is_primary"),
            createdAt: try row.decode(Date.self, named: "created_at")
        )
    }

    static func decode(_ row: PostgresRow) throws -> Contact {
        Contact(
            id: try row.decode(UUID.self, named: "id"),
            firstName: try row.decode(String.self, named: "first_name"),
            lastName: try row.decode(String.self, named: "last_name"),
            email: try row.decode(String?.self, named: "email"),
            phone: try row.decode(String?.self, named: "phone"),
            title: try row.decode(String?.self, named: "title"),
            description: try row.decode(String.self, named: "description"),
            ownerID: try row.decode(UUID?.self, named: "owner_id").map(UserID.init),
            tags: try row.decode([String].self, named: "tags"),
            customFields: try row.decode(PostgresJSON<[String: JSONValue]>.self, named: "custom_fields").value,
            version: try row.decode(Int64.self, named: "version"),
            createdBy: try row.decode(String.self, named: "created_by"),
            createdAt: try row.decode(Date.self, named: "created_at"),
            updatedAt: try row.decode(Date.self, named: "updated_at"),
            deletedAt: try row.decode(Date?.self, named: "deleted_at"),
            mergedInto: try row.decode(UUID?.self, named: "merged_into")
        )
    }
}

extension ContactRepository {
    /// The primary company link (company domain and role) of each of `contacts`.
    func primaryCompanies(_ contacts: [UUID]) async throws -> [UUID: (companyID: UUID, domain: String?, role: String)] {
        guard !contacts.isEmpty else { return [:] }
        var result: [UUID: (UUID, String?, String)] = [:]
        for row in try await connection.query(
            """
            SELECT l.contact_id, l.company_id, c.domain, l.role FROM contact_companies l JOIN companies c ON c.id = l.company_id
            WHERE l.is_primary AND l.contact_id = ANY(\(contacts))
            """
        ) {
            result[try row.decode(UUID.self, at: 0)] = (try row.decode(UUID.self, at: 1), try row.decode(String?.self, at: 2), try row.decode(String.self, at: 3))
        }
        return result
    }
}
