import ERPPostgres
import ERPProtocol
import Foundation

/// Leads of the tenant of the caller's transaction.
struct LeadRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    static let columns: StaticString = """
        r.id, r.first_name, r.last_name, r.email, r.phone, r.title, r.company_name, r.website, r.source, r.status, r.status_reason, \
        r.owner_id, r.budget_minor, r.budget_currency, r.purchase_timeline, r.technical_complexity, r.decision_role, r.industry, r.score, \
        r.score_priority, r.scored_at, r.converted_at, r.converted_by, r.converted_contact_id, r.converted_company_id, \
        r.converted_opportunity_id, r.description, r.tags, r.custom_fields, r.version, r.created_by, r.created_at, r.updated_at, r.deleted_at
        """

    static let table = RecordLister.Table(name: "leads", recordType: .lead, columns: columns)

    /// Sortable fields of `GET /v1/leads` (`score`: unscored leads count as -1).
    static let sortFields: [SortField] = [
        SortField(name: "name", expression: "r.sort_name", sqlType: "text"),
        SortField(name: "score", expression: "coalesce(r.score, -1)", sqlType: "int4"),
        .createdAt, .updatedAt,
    ]

    func find(_ id: UUID, forUpdate: Bool = false) async throws -> Lead? {
        let rows = forUpdate
            ? try await connection.query("SELECT \(unescaped: Self.columns) FROM leads r WHERE r.id = \(id) FOR UPDATE")
            : try await connection.query("SELECT \(unescaped: Self.columns) FROM leads r WHERE r.id = \(id)")
        return try rows.first.map(Self.decode)
    }

    func insert(_ lead: Lead, tenant: TenantID) async throws {
        try await connection.execute(
            """
            INSERT INTO leads (tenant_id, id, first_name, last_name, email, phone, title, company_name, website, source, status, status_reason,
                owner_id, budget_minor, budget_currency, purchase_timeline, technical_complexity, decision_role, industry, score, score_priority,
                scored_at, description, tags, custom_fields, version, created_by, created_at, updated_at)
            VALUES (\(tenant.uuid), \(lead.id), \(lead.firstName), \(lead.lastName), \(lead.email), \(lead.phone), \(lead.title),
                \(lead.companyName), \(lead.website), \(lead.source.rawValue), \(lead.status.rawValue), \(lead.statusReason), \(lead.ownerID?.uuid),
                \(lead.scoring.budget?.amountMinor), \(lead.scoring.budget?.currency.rawValue), \(lead.scoring.purchaseTimeline.rawValue),
                \(lead.scoring.technicalComplexity.rawValue), \(lead.scoring.decisionRole.rawValue), \(lead.scoring.industry), \(lead.score),
                \(lead.scorePriority?.rawValue), \(lead.scoredAt), \(lead.description), \(lead.tags), \(PostgresJSON(lead.customFields)),
                \(lead.version), \(lead.createdBy), \(lead.createdAt), \(lead.updatedAt))
            """
        )
    }

    /// Writes every field of `lead` if the stored version is still `expectedVersion`.
    func update(_ lead: Lead, expectedVersion: Int64) async throws -> Bool {
        try await connection.execute(
            """
            UPDATE leads SET first_name = \(lead.firstName), last_name = \(lead.lastName), email = \(lead.email), phone = \(lead.phone),
                title = \(lead.title), company_name = \(lead.companyName), website = \(lead.website), source = \(lead.source.rawValue),
                status = \(lead.status.rawValue), status_reason = \(lead.statusReason), owner_id = \(lead.ownerID?.uuid),
                budget_minor = \(lead.scoring.budget?.amountMinor), budget_currency = \(lead.scoring.budget?.currency.rawValue),
                purchase_timeline = \(lead.scoring.purchaseTimeline.rawValue), technical_complexity = \(lead.scoring.technicalComplexity.rawValue),
                decision_role = \(lead.scoring.decisionRole.rawValue), industry = \(lead.scoring.industry), score = \(lead.score),
                score_priority = \(lead.scorePriority?.rawValue), scored_at = \(lead.scoredAt), converted_at = \(lead.convertedAt),
                converted_by = \(lead.convertedBy), converted_contact_id = \(lead.convertedContactID),
                converted_company_id = \(lead.convertedCompanyID), converted_opportunity_id = \(lead.convertedOpportunityID),
                description = \(lead.description), tags = \(lead.tags), custom_fields = \(PostgresJSON(lead.customFields)),
                version = \(lead.version), updated_at = \(lead.updatedAt), deleted_at = \(lead.deletedAt)
            WHERE id = \(lead.id) AND version = \(expectedVersion)
            """
        ) == 1
    }

    static func decode(_ row: PostgresRow) throws -> Lead {
        var budget: Money?
        if let minor = try row.decode(Int64?.self, named: "budget_minor"), let code = try row.decode(String?.self, named: "budget_currency"),
            let currency = CurrencyCode(code)
        {
            budget = Money(amountMinor: minor, currency: currency)
        }
        return Lead(
            id: try row.decode(UUID.self, named: "id"),
            firstName: try row.decode(String.self, named: "first_name"),
            lastName: try row.decode(String.self, named: "last_name"),
            email: try row.decode(String?.self, named: "email"),
            phone: try row.decode(String?.self, named: "phone"),
            title: try row.decode(String?.self, named: "title"),
            companyName: try row.decode(String?.self, named: "company_name"),
            website: try row.decode(String?.self, named: "website"),
            source: LeadSource(rawValue: try row.decode(String.self, named: "source")) ?? .other,
            status: LeadStatus(rawValue: try row.decode(String.self, named: "status")) ?? .new,
            statusReason: try row.decode(String?.self, named: "status_reason"),
            ownerID: try row.decode(UUID?.self, named: "owner_id").map(UserID.init),
            scoring: LeadScoringInput(
                budget: budget,
                purchaseTimeline: PurchaseTimeline(rawValue: try row.decode(String.self, named: "purchase_timeline")) ?? .unknown,
                technicalComplexity: TechnicalComplexity(rawValue: try row.decode(String.self, named: "technical_complexity")) ?? .unknown,
                decisionRole: DecisionRole(rawValue: try row.decode(String.self, named: "decision_role")) ?? .unknown,
                industry: try row.decode(String?.self, named: "industry")
            ),
            score: try row.decode(Int?.self, named: "score"),
            scorePriority: try row.decode(String?.self, named: "score_priority").flatMap(LeadPriority.init(rawValue:)),
            scoredAt: try row.decode(Date?.self, named: "scored_at"),
            convertedAt: try row.decode(Date?.self, named: "converted_at"),
            convertedBy: try row.decode(String?.self, named: "converted_by"),
            convertedContactID: try row.decode(UUID?.self, named: "converted_contact_id"),
            convertedCompanyID: try row.decode(UUID?.self, named: "converted_company_id"),
            convertedOpportunityID: try row.decode(UUID?.self, named: "converted_opportunity_id"),
            description: try row.decode(String.self, named: "description"),
            tags: try row.decode([String].self, named: "tags"),
            customFields: try row.decode(PostgresJSON<[String: JSONValue]>.self, named: "custom_fields").value,
            version: try row.decode(Int64.self, named: "version"),
            createdBy: try row.decode(String.self, named: "created_by"),
            createdAt: try row.decode(Date.self, named: "created_at"),
            updatedAt: try row.decode(Date.self, named: "updated_at"),
            deletedAt: try row.decode(Date?.self, named: "deleted_at")
        )
    }
}
