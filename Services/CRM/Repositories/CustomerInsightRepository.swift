import ERPPostgres
import ERPProtocol
import Foundation

/// The facts behind customer value and churn signals (docs/crm.md, "Customer value and churn
/// signals"), read from live companies, opportunities, contacts, activities and timeline entries.
struct CustomerInsightRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// The currency most of the tenant's live won opportunities use (ties: alphabetical), nil when none is won.
    func dominantWonCurrency() async throws -> CurrencyCode? {
        try await connection.query(
            """
            SELECT currency FROM opportunities WHERE status = 'won' AND deleted_at IS NULL
            GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1
            """
        ).first.flatMap { CurrencyCode(try $0.decode(String.self, at: 0)) }
    }

    struct Filter: Sendable {
        var currency: CurrencyCode
        var asOf: Date
        /// Days of the `recent_loss` window.
        var lossDays: Int
        /// Only companies with this owner.
        var ownerID: UUID?
        /// Only this company, whether or not it has won deals (otherwise: only customers).
        var companyID: UUID?
    }

    /// Facts of every live company with a live won opportunity in the currency, or of the one company asked for.
    func facts(_ filter: Filter) async throws -> [CustomerFacts] {
        let currency = filter.currency.rawValue, now = filter.asOf
        let lossFrom = ChurnRules.daysBefore(now, filter.lossDays)
        let yearAgo = ChurnRules.daysBefore(now, 365), twoYearsAgo = ChurnRules.daysBefore(now, 730)
        return try await connection.query(
            """
            WITH won AS (
                SELECT company_id, count(*) AS won_count, sum(amount_minor)::int8 AS won_value, min(closed_at) AS first_won,
                    max(closed_at) AS last_won,
                    coalesce(sum(amount_minor) FILTER (WHERE closed_at >= \(yearAgo) AND closed_at < \(now)), 0)::int8 AS last_year,
                    coalesce(sum(amount_minor) FILTER (WHERE closed_at >= \(twoYearsAgo) AND closed_at < \(yearAgo)), 0)::int8 AS year_before
                FROM opportunities
                WHERE deleted_at IS NULL AND status = 'won' AND currency = \(currency) AND company_id IS NOT NULL
                GROUP BY company_id
            ), scoped AS (
                SELECT c.id, c.name, c.owner_id FROM companies c
                WHERE c.deleted_at IS NULL AND (\(filter.ownerID)::uuid IS NULL OR c.owner_id = \(filter.ownerID))
                  AND (\(filter.companyID)::uuid IS NULL OR c.id = \(filter.companyID))
                  AND (\(filter.companyID)::uuid IS NOT NULL OR EXISTS (SELECT 1 FROM won WHERE won.company_id = c.id))
            ), related AS (
                SELECT s.id AS company_id, 'company' AS record_type, s.id AS record_id FROM scoped s
                UNION ALL
                SELECT s.id, 'contact', l.contact_id FROM scoped s JOIN contact_companies l ON l.company_id = s.id
                    JOIN contacts ct ON ct.id = l.contact_id AND ct.deleted_at IS NULL
                UNION ALL
                SELECT s.id, 'opportunity', o.id FROM scoped s JOIN opportunities o ON o.company_id = s.id AND o.deleted_at IS NULL
            ), work AS (
                SELECT r.company_id,
                    max(CASE WHEN a.kind = 'task' THEN a.done_at ELSE a.occurred_at END)
                        FILTER (WHERE (a.kind <> 'task' AND a.occurred_at <= \(now)) OR (a.kind = 'task' AND a.done AND a.done_at <= \(now)))
                        AS last_activity,
                    count(*) FILTER (WHERE a.kind = 'task' AND NOT a.done AND a.due_at < \(now)) AS overdue
                FROM related r JOIN activities a ON a.record_type = r.record_type AND a.record_id = r.record_id AND a.deleted_at IS NULL
                GROUP BY r.company_id
            )
            SELECT s.id, s.name, s.owner_id, coalesce(w.won_count, 0)::int8, coalesce(w.won_value, 0)::int8, w.first_won, w.last_won,
                coalesce(w.last_year, 0)::int8, coalesce(w.year_before, 0)::int8,
                (SELECT count(*) FROM opportunities l
                 WHERE l.company_id = s.id AND l.deleted_at IS NULL AND l.status = 'lost' AND l.closed_at >= \(lossFrom) AND l.closed_at <= \(now)),
                k.last_activity, coalesce(k.overdue, 0)::int8,
                (SELECT max(e.occurred_at) FROM timeline_entries e
                 WHERE e.record_type = 'company' AND e.record_id = s.id AND e.event_type = \(EventType.Finance.invoicePaid.rawValue))
            FROM scoped s LEFT JOIN won w ON w.company_id = s.id LEFT JOIN work k ON k.company_id = s.id
            """
        ).map { row in
            CustomerFacts(
                companyID: try row.decode(UUID.self, at: 0), companyName: try row.decode(String.self, at: 1), ownerID: try row.decode(UUID?.self, at: 2),
                wonCount: try row.decode(Int.self, at: 3), wonValueMinor: try row.decode(Int64.self, at: 4), firstWonAt: try row.decode(Date?.self, at: 5),
                lastWonAt: try row.decode(Date?.self, at: 6), wonLastYearMinor: try row.decode(Int64.self, at: 7),
                wonYearBeforeMinor: try row.decode(Int64.self, at: 8), recentLosses: try row.decode(Int.self, at: 9),
                lastActivityAt: try row.decode(Date?.self, at: 10), overdueTasks: try row.decode(Int.self, at: 11),
                lastPaidInvoiceAt: try row.decode(Date?.self, at: 12))
        }
    }
}
