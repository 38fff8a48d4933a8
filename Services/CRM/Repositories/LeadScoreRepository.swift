import ERPPostgres
import ERPProtocol
import Foundation

/// The score history of leads.
struct LeadScoreRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// A stored score with when, why and from what it was computed.
    struct Entry: Sendable, Hashable {
        var id: UUID
        var leadID: UUID
        var score: LeadScore
        var inputs: LeadScoringInput
        var computedBy: String
        var computedAt: Date
    }

    func insert(_ entry: Entry, tenant: TenantID) async throws {
        try await connection.execute(
            """
            INSERT INTO lead_scores (tenant_id, id, lead_id, scorer, score, priority, criteria, recommended_action, inputs, computed_by, computed_at)
            VALUES (\(tenant.uuid), \(entry.id), \(entry.leadID), \(entry.score.scorer), \(entry.score.total), \(entry.score.priority.rawValue),
                \(PostgresJSON(entry.score.criteria)), \(entry.score.recommendedAction), \(PostgresJSON(entry.inputs)), \(entry.computedBy),
                \(entry.computedAt))
            """
        )
    }

    /// The lead's scores, newest first.
    func history(lead: UUID, limit: Int) async throws -> [Entry] {
        try await connection.query(
            """
            SELECT id, lead_id, scorer, score, priority, criteria, recommended_action, inputs, computed_by, computed_at
            FROM lead_scores WHERE lead_id = \(lead) ORDER BY sequence DESC LIMIT \(limit)
            """
        ).map { row in
            Entry(
                id: try row.decode(UUID.self, named: "id"),
                leadID: try row.decode(UUID.self, named: "lead_id"),
                score: LeadScore(
                    scorer: try row.decode(String.self, named: "scorer"),
                    total: try row.decode(Int.self, named: "score"),
                    priority: LeadPriority(rawValue: try row.decode(String.self, named: "priority")) ?? .low,
                    criteria: try row.decode(PostgresJSON<[ScoreCriterion]>.self, named: "criteria").value,
                    recommendedAction: try row.decode(String.self, named: "recommended_action")
                ),
                inputs: try row.decode(PostgresJSON<LeadScoringInput>.self, named: "inputs").value,
                computedBy: try row.decode(String.self, named: "computed_by"),
                computedAt: try row.decode(Date.self, named: "computed_at")
            )
        }
    }
}
