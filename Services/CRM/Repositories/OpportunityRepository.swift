import ERPPostgres
import ERPProtocol
import Foundation

/// Opportunities and their stage history in the tenant of the caller's transaction.
struct OpportunityRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    static let columns: StaticString = """
        r.id, r.name, r.pipeline_id, r.stage_id, r.amount_minor, r.currency, r.expected_close_date::text AS expected_close_date, r.status, \
        r.close_reason, r.closed_at, r.stage_entered_at, r.company_id, r.contact_id, r.lead_id, r.owner_id, r.description, r.tags, \
        r.custom_fields, r.version, r.created_by, r.created_at, r.updated_at, r.deleted_at
        """

    static let table = RecordLister.Table(name: "opportunities", recordType: .opportunity, columns: columns)

    /// Sortable fields of `GET /v1/opportunities` (no expected close date sorts last).
    static let sortFields: [SortField] = [
        SortField(name: "name", expression: "r.sort_name", sqlType: "text"),
        SortField(name: "amount", expression: "r.amount_minor", sqlType: "int8"),
        SortField(name: "expectedCloseDate", expression: "coalesce(r.expected_close_date, 'infinity'::date)", sqlType: "date"),
        .createdAt, .updatedAt,
    ]

    func find(_ id: UUID, forUpdate: Bool = false) async throws -> Opportunity? {
        let rows = forUpdate
            ? try await connection.query("SELECT \(unescaped: Self.columns) FROM opportunities r WHERE r.id = \(id) FOR UPDATE")
            : try await connection.query("SELECT \(unescaped: Self.columns) FROM opportunities r WHERE r.id = \(id)")
        return try rows.first.map(Self.decode)
    }

    func insert(_ opportunity: Opportunity, tenant: TenantID) async throws {
        try await connection.execute(
            """
            INSERT INTO opportunities (tenant_id, id, name, pipeline_id, stage_id, amount_minor, currency, expected_close_date, status,
                close_reason, closed_at, stage_entered_at, company_id, contact_id, lead_id, owner_id, description, tags, custom_fields, version,
                created_by, created_at, updated_at)
            VALUES (\(tenant.uuid), \(opportunity.id), \(opportunity.name), \(opportunity.pipelineID), \(opportunity.stageID),
                \(opportunity.amount.amountMinor), \(opportunity.amount.currency.rawValue), \(opportunity.expectedCloseDate),
                \(opportunity.status.rawValue), \(opportunity.closeReason), \(opportunity.closedAt), \(opportunity.stageEnteredAt),
                \(opportunity.companyID), \(opportunity.contactID), \(opportunity.leadID), \(opportunity.ownerID?.uuid), \(opportunity.description),
                \(opportunity.tags), \(PostgresJSON(opportunity.customFields)), \(opportunity.version), \(opportunity.createdBy),
                \(opportunity.createdAt), \(opportunity.updatedAt))
            """
        )
    }

    func update(_ opportunity: Opportunity, expectedVersion: Int64) async throws -> Bool {
        try await connection.execute(
            """
            UPDATE opportunities SET name = \(opportunity.name), stage_id = \(opportunity.stageID), amount_minor = \(opportunity.amount.amountMinor),
                currency = \(opportunity.amount.currency.rawValue), expected_close_date = \(opportunity.expectedCloseDate),
                status = \(opportunity.status.rawValue), close_reason = \(opportunity.closeReason), closed_at = \(opportunity.closedAt),
                stage_entered_at = \(opportunity.stageEnteredAt), company_id = \(opportunity.companyID), contact_id = \(opportunity.contactID),
                owner_id = \(opportunity.ownerID?.uuid), description = \(opportunity.description), tags = \(opportunity.tags),
                custom_fields = \(PostgresJSON(opportunity.customFields)), version = \(opportunity.version), updated_at = \(opportunity.updatedAt),
                deleted_at = \(opportunity.deletedAt)
            WHERE id = \(opportunity.id) AND version = \(expectedVersion)
            """
        ) == 1
    }

    func recordStageChange(_ change: StageChange, tenant: TenantID) async throws {
        try await connection.execute(
            """
            INSERT INTO opportunity_stage_history (tenant_id, id, opportunity_id, from_stage_id, to_stage_id, changed_by, changed_at)
            VALUES (\(tenant.uuid), \(change.id), \(change.opportunityID), \(change.fromStageID), \(change.toStageID), \(change.changedBy),
                \(change.changedAt))
            """
        )
    }

    /// The opportunity's stage changes, oldest first.
    func stageHistory(_ id: UUID) async throws -> [StageChange] {
        try await connection.query(
            """
            SELECT id, opportunity_id, from_stage_id, to_stage_id, changed_by, changed_at FROM opportunity_stage_history
            WHERE opportunity_id = \(id) ORDER BY changed_at, sequence
            """
        ).map(Self.decodeChange)
    }

    /// What an export names an opportunity's references by: pipeline and stage names, the
    /// company's domain and the contact's email (what an import finds them by).
    func referenceNames(_ ids: [UUID]) async throws -> [UUID: (pipeline: String, stage: String, companyDomain: String?, contactEmail: String?)] {
        var result: [UUID: (pipeline: String, stage: String, companyDomain: String?, contactEmail: String?)] = [:]
        for row in try await connection.query(
            """
            SELECT o.id, p.name, s.name, c.domain, ct.email FROM opportunities o
            JOIN pipelines p ON p.id = o.pipeline_id JOIN pipeline_stages s ON s.id = o.stage_id
            LEFT JOIN companies c ON c.id = o.company_id LEFT JOIN contacts ct ON ct.id = o.contact_id
            WHERE o.id = ANY(\(ids))
            """
        ) {
            result[try row.decode(UUID.self, at: 0)] = (
                try row.decode(String.self, at: 1), try row.decode(String.self, at: 2), try row.decode(String?.self, at: 3),
                try row.decode(String?.self, at: 4))
        }
        return result
    }

    static func decodeChange(_ row: PostgresRow) throws -> StageChange {
        StageChange(
            id: try row.decode(UUID.self, named: "id"), opportunityID: try row.decode(UUID.self, named: "opportunity_id"),
            fromStageID: try row.decode(UUID?.self, named: "from_stage_id"), toStageID: try row.decode(UUID.self, named: "to_stage_id"),
            changedBy: try row.decode(String.self, named: "changed_by"), changedAt: try row.decode(Date.self, named: "changed_at")
        )
    }

    static func decode(_ row: PostgresRow) throws -> Opportunity {
        Opportunity(
            id: try row.decode(UUID.self, named: "id"),
            name: try row.decode(String.self, named: "name"),
            pipelineID: try row.decode(UUID.self, named: "pipeline_id"),
            stageID: try row.decode(UUID.self, named: "stage_id"),
            amount: Money(
                amountMinor: try row.decode(Int64.self, named: "amount_minor"),
                currency: CurrencyCode(try row.decode(String.self, named: "currency")) ?? CurrencyCode("USD")!),
            expectedCloseDate: try row.decode(CalendarDate?.self, named: "expected_close_date"),
            status: OpportunityStatus(rawValue: try row.decode(String.self, named: "status")) ?? .open,
            closeReason: try row.decode(String?.self, named: "close_reason"),
            closedAt: try row.decode(Date?.self, named: "closed_at"),
            stageEnteredAt: try row.decode(Date.self, named: "stage_entered_at"),
            companyID: try row.decode(UUID?.self, named: "company_id"),
            contactID: try row.decode(UUID?.self, named: "contact_id"),
            leadID: try row.decode(UUID?.self, named: "lead_id"),
            ownerID: try row.decode(UUID?.self, named: "owner_id").map(UserID.init),
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
