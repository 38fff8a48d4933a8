import ERPPostgres
import ERPProtocol
import Foundation

/// Companies of the tenant of the caller's transaction.
struct CompanyRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    static let columns: StaticString = """
        r.id, r.name, r.domain, r.website, r.industry, r.employee_count, r.annual_revenue_minor, r.annual_revenue_currency, r.phone, \
        r.street, r.city, r.region, r.postal_code, r.country, r.description, r.owner_id, r.tags, r.custom_fields, r.version, \
        r.created_by, r.created_at, r.updated_at, r.deleted_at, r.merged_into
        """

    static let table = RecordLister.Table(name: "companies", recordType: .company, columns: columns)

    /// Sortable fields of `GET /v1/companies`.
    static let sortFields: [SortField] = [
        SortField(name: "name", expression: "r.sort_name", sqlType: "text"), .createdAt, .updatedAt,
    ]

    /// The company, also when soft-deleted; nil when there is none in this tenant.
    func find(_ id: UUID, forUpdate: Bool = false) async throws -> Company? {
        let rows = forUpdate
            ? try await connection.query("SELECT \(unescaped: Self.columns) FROM companies r WHERE r.id = \(id) FOR UPDATE")
            : try await connection.query("SELECT \(unescaped: Self.columns) FROM companies r WHERE r.id = \(id)")
        return try rows.first.map(Self.decode)
    }

    /// The live company with `domain`, if any.
    func liveID(domain: String) async throws -> UUID? {
        try await connection.query("SELECT id FROM companies WHERE domain = \(domain) AND deleted_at IS NULL").first?.decode(UUID.self, at: 0)
    }

    func insert(_ company: Company, tenant: TenantID) async throws {
        try await connection.execute(
            """
            INSERT INTO companies (tenant_id, id, name, domain, website, industry, employee_count, annual_revenue_minor, annual_revenue_currency,
                phone, street, city, region, postal_code, country, description, owner_id, tags, custom_fields, version, created_by, created_at,
                updated_at, deleted_at, merged_into)
            VALUES (\(tenant.uuid), \(company.id), \(company.name), \(company.domain), \(company.website), \(company.industry),
                \(company.employeeCount), \(company.annualRevenue?.amountMinor), \(company.annualRevenue?.currency.rawValue), \(company.phone),
                \(company.address.street), \(company.address.city), \(company.address.region), \(company.address.postalCode),
                \(company.address.country), \(company.description), \(company.ownerID?.uuid), \(company.tags), \(PostgresJSON(company.customFields)),
                \(company.version), \(company.createdBy), \(company.createdAt), \(company.updatedAt), \(company.deletedAt), \(company.mergedInto))
            """
        )
    }

    /// Writes every field of `company` if the stored version is still `expectedVersion`;
    /// false when it is not (or the company is gone).
    func update(_ company: Company, expectedVersion: Int64) async throws -> Bool {
        try await connection.execute(
            """
            UPDATE companies SET name = \(company.name), domain = \(company.domain), website = \(company.website), industry = \(company.industry),
                employee_count = \(company.employeeCount), annual_revenue_minor = \(company.annualRevenue?.amountMinor),
                annual_revenue_currency = \(company.annualRevenue?.currency.rawValue), phone = \(company.phone), street = \(company.address.street),
                city = \(company.address.city), region = \(company.address.region), postal_code = \(company.address.postalCode),
                country = \(company.address.country), description = \(company.description), owner_id = \(company.ownerID?.uuid),
                tags = \(company.tags), custom_fields = \(PostgresJSON(company.customFields)), version = \(company.version),
                updated_at = \(company.updatedAt), deleted_at = \(company.deletedAt), merged_into = \(company.mergedInto)
            WHERE id = \(company.id) AND version = \(expectedVersion)
            """
        ) == 1
    }

    /// Names of companies by id (for link and timeline summaries).
    func names(_ ids: [UUID]) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        var names: [UUID: String] = [:]
        for row in try await connection.query("SELECT id, name FROM companies WHERE id = ANY(\(ids))") {
            names[try row.decode(UUID.self, at: 0)] = try row.decode(String.self, at: 1)
        }
        return names
    }

    static func decode(_ row: PostgresRow) throws -> Company {
        var revenue: Money?
        if let minor = try row.decode(Int64?.self, named: "annual_revenue_minor"),
            let code = try row.decode(String?.self, named: "annual_revenue_currency"), let currency = CurrencyCode(code)
        {
            revenue = Money(amountMinor: minor, currency: currency)
        }
        return Company(
            id: try row.decode(UUID.self, named: "id"),
            name: try row.decode(String.self, named: "name"),
            domain: try row.decode(String?.self, named: "domain"),
            website: try row.decode(String?.self, named: "website"),
            industry: try row.decode(String?.self, named: "industry"),
            employeeCount: try row.decode(Int?.self, named: "employee_count"),
            annualRevenue: revenue,
            phone: try row.decode(String?.self, named: "phone"),
            address: PostalAddress(
                street: try row.decode(String?.self, named: "street"), city: try row.decode(String?.self, named: "city"),
                region: try row.decode(String?.self, named: "region"), postalCode: try row.decode(String?.self, named: "postal_code"),
                country: try row.decode(String?.self, named: "country")),
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
