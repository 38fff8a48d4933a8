import ERPPostgres
import ERPProtocol
import Foundation

/// The aggregates behind the analytics endpoints, over the live opportunities of one pipeline in
/// one currency (docs/crm.md, "Analytics", defines each number).
struct AnalyticsRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    struct Scope: Sendable {
        var pipelineID: UUID
        var currency: CurrencyCode
        var ownerID: UUID?
        var from: Date?
        var to: Date?
    }

    /// The currency most of the pipeline's opportunities use (ties: alphabetical), nil when it has none.
    func dominantCurrency(pipeline: UUID) async throws -> CurrencyCode? {
        try await connection.query(
            """
            SELECT currency FROM opportunities WHERE pipeline_id = \(pipeline) AND deleted_at IS NULL
            GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1
            """
        ).first.flatMap { CurrencyCode(try $0.decode(String.self, at: 0)) }
    }

    struct StageValue: Sendable {
        var count: Int
        var valueMinor: Int64
        /// Σ amount × probability (before the division by 100).
        var weightedNumerator: Int64
    }

    /// Open opportunities per current stage.
    func openByStage(_ scope: Scope) async throws -> [UUID: StageValue] {
        var result: [UUID: StageValue] = [:]
        for row in try await connection.query(
            """
            SELECT o.stage_id, count(*), sum(o.amount_minor)::int8, sum(o.amount_minor::numeric * s.probability)::int8
            FROM opportunities o JOIN pipeline_stages s ON s.id = o.stage_id
            WHERE o.deleted_at IS NULL AND o.status = 'open' AND o.pipeline_id = \(scope.pipelineID) AND o.currency = \(scope.currency.rawValue)
              AND (\(scope.ownerID)::uuid IS NULL OR o.owner_id = \(scope.ownerID))
            GROUP BY o.stage_id
            """
        ) {
            result[try row.decode(UUID.self, at: 0)] = StageValue(
                count: try row.decode(Int.self, at: 1), valueMinor: try row.decode(Int64.self, at: 2), weightedNumerator: try row.decode(Int64.self, at: 3))
        }
        return result
    }

    struct StageFlow: Sendable {
        /// Opportunities whose history includes the stage.
        var entered: Int
        /// … of those, the ones that later reached a later open stage or the won stage.
        var advanced: Int
        /// … of those, the closed ones and the won ones (the stage's historical win rate).
        var closed: Int
        var won: Int
    }

    /// How opportunities created in the window went through each open stage.
    func flow(_ scope: Scope) async throws -> [UUID: StageFlow] {
        var result: [UUID: StageFlow] = [:]
        for row in try await connection.query(
            """
            WITH scoped AS (
                SELECT id, status FROM opportunities
                WHERE deleted_at IS NULL AND pipeline_id = \(scope.pipelineID) AND currency = \(scope.currency.rawValue)
                  AND (\(scope.ownerID)::uuid IS NULL OR owner_id = \(scope.ownerID))
                  AND (\(scope.from)::timestamptz IS NULL OR created_at >= \(scope.from)) AND (\(scope.to)::timestamptz IS NULL OR created_at < \(scope.to))
            ), visits AS (
                SELECT DISTINCT h.opportunity_id, h.to_stage_id, o.status FROM opportunity_stage_history h JOIN scoped o ON o.id = h.opportunity_id
            )
            SELECT s.id, count(v.opportunity_id),
                count(v.opportunity_id) FILTER (WHERE EXISTS (
                    SELECT 1 FROM visits later JOIN pipeline_stages ls ON ls.id = later.to_stage_id
                    WHERE later.opportunity_id = v.opportunity_id AND NOT ls.archived
                      AND ((ls.kind = 'open' AND ls.position > s.position) OR ls.kind = 'won'))),
                count(v.opportunity_id) FILTER (WHERE v.status <> 'open'),
                count(v.opportunity_id) FILTER (WHERE v.status = 'won')
            FROM pipeline_stages s LEFT JOIN visits v ON v.to_stage_id = s.id
            WHERE s.pipeline_id = \(scope.pipelineID) AND NOT s.archived AND s.kind = 'open'
            GROUP BY s.id
            """
        ) {
            result[try row.decode(UUID.self, at: 0)] = StageFlow(
                entered: try row.decode(Int.self, at: 1), advanced: try row.decode(Int.self, at: 2), closed: try row.decode(Int.self, at: 3),
                won: try row.decode(Int.self, at: 4))
        }
        return result
    }

    struct Outcomes: Sendable {
        var won: Int
        var lost: Int
        var wonValueMinor: Int64
        /// Mean seconds from creation to close of the won ones.
        var averageCycleSeconds: Double?
    }

    /// Won and lost opportunities closed in the window.
    func outcomes(_ scope: Scope) async throws -> Outcomes {
        let row = try await connection.query(
            """
            SELECT count(*) FILTER (WHERE status = 'won'), count(*) FILTER (WHERE status = 'lost'),
                coalesce(sum(amount_minor) FILTER (WHERE status = 'won'), 0)::int8,
                (avg(extract(epoch FROM closed_at - created_at)) FILTER (WHERE status = 'won'))::float8
            FROM opportunities
            WHERE deleted_at IS NULL AND status <> 'open' AND pipeline_id = \(scope.pipelineID) AND currency = \(scope.currency.rawValue)
              AND (\(scope.ownerID)::uuid IS NULL OR owner_id = \(scope.ownerID))
              AND (\(scope.from)::timestamptz IS NULL OR closed_at >= \(scope.from)) AND (\(scope.to)::timestamptz IS NULL OR closed_at < \(scope.to))
            """
        ).first!
        return Outcomes(
            won: try row.decode(Int.self, at: 0), lost: try row.decode(Int.self, at: 1), wonValueMinor: try row.decode(Int64.self, at: 2),
            averageCycleSeconds: try row.decode(Double?.self, at: 3))
    }

    struct Duration: Sendable {
        var samples: Int
        var averageSeconds: Double
    }

    /// Completed stays in each stage (entry to the next change) of opportunities created in the window.
    func stageDurations(_ scope: Scope) async throws -> [UUID: Duration] {
        var result: [UUID: Duration] = [:]
        for row in try await connection.query(
            """
            WITH scoped AS (
                SELECT id FROM opportunities
                WHERE deleted_at IS NULL AND pipeline_id = \(scope.pipelineID) AND currency = \(scope.currency.rawValue)
                  AND (\(scope.ownerID)::uuid IS NULL OR owner_id = \(scope.ownerID))
                  AND (\(scope.from)::timestamptz IS NULL OR created_at >= \(scope.from)) AND (\(scope.to)::timestamptz IS NULL OR created_at < \(scope.to))
            ), stays AS (
                SELECT h.to_stage_id, h.changed_at,
                    lead(h.changed_at) OVER (PARTITION BY h.opportunity_id ORDER BY h.changed_at, h.sequence) AS left_at
                FROM opportunity_stage_history h JOIN scoped o ON o.id = h.opportunity_id
            )
            SELECT to_stage_id, count(*), avg(extract(epoch FROM left_at - changed_at))::float8
            FROM stays WHERE left_at IS NOT NULL GROUP BY to_stage_id
            """
        ) {
            result[try row.decode(UUID.self, at: 0)] = Duration(samples: try row.decode(Int.self, at: 1), averageSeconds: try row.decode(Double.self, at: 2))
        }
        return result
    }

    struct MonthStage: Sendable {
        var month: String
        var stageID: UUID
        var count: Int
        var valueMinor: Int64
        var weightedNumerator: Int64
    }

    /// Open opportunities expected to close in [start, end), per month and current stage.
    func forecast(_ scope: Scope, start: CalendarDate, end: CalendarDate) async throws -> [MonthStage] {
        try await connection.query(
            """
            SELECT to_char(o.expected_close_date, 'YYYY-MM'), o.stage_id, count(*), sum(o.amount_minor)::int8,
                sum(o.amount_minor::numeric * s.probability)::int8
            FROM opportunities o JOIN pipeline_stages s ON s.id = o.stage_id
            WHERE o.deleted_at IS NULL AND o.status = 'open' AND o.pipeline_id = \(scope.pipelineID) AND o.currency = \(scope.currency.rawValue)
              AND (\(scope.ownerID)::uuid IS NULL OR o.owner_id = \(scope.ownerID))
              AND o.expected_close_date >= \(start) AND o.expected_close_date < \(end)
            GROUP BY 1, 2 ORDER BY 1, 2
            """
        ).map {
            MonthStage(
                month: try $0.decode(String.self, at: 0), stageID: try $0.decode(UUID.self, at: 1), count: try $0.decode(Int.self, at: 2),
                valueMinor: try $0.decode(Int64.self, at: 3), weightedNumerator: try $0.decode(Int64.self, at: 4))
        }
    }

    struct OwnerRow: Sendable {
        var ownerID: UUID?
        var won: Int
        var wonValueMinor: Int64
        var lost: Int
        var open: Int
        var openValueMinor: Int64
    }

    /// Per owner: won and lost in the window, open now.
    func owners(_ scope: Scope) async throws -> [OwnerRow] {
        try await connection.query(
            """
            WITH scoped AS (
                SELECT owner_id, status, amount_minor,
                    (\(scope.from)::timestamptz IS NULL OR closed_at >= \(scope.from)) AND (\(scope.to)::timestamptz IS NULL OR closed_at < \(scope.to)) AS in_window
                FROM opportunities
                WHERE deleted_at IS NULL AND pipeline_id = \(scope.pipelineID) AND currency = \(scope.currency.rawValue)
            )
            SELECT owner_id, count(*) FILTER (WHERE status = 'won' AND in_window),
                coalesce(sum(amount_minor) FILTER (WHERE status = 'won' AND in_window), 0)::int8,
                count(*) FILTER (WHERE status = 'lost' AND in_window), count(*) FILTER (WHERE status = 'open'),
                coalesce(sum(amount_minor) FILTER (WHERE status = 'open'), 0)::int8
            FROM scoped GROUP BY owner_id
            """
        ).map {
            OwnerRow(
                ownerID: try $0.decode(UUID?.self, at: 0), won: try $0.decode(Int.self, at: 1), wonValueMinor: try $0.decode(Int64.self, at: 2),
                lost: try $0.decode(Int.self, at: 3), open: try $0.decode(Int.self, at: 4), openValueMinor: try $0.decode(Int64.self, at: 5))
        }
    }
}
