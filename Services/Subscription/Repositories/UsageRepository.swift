import ERPPostgres
import ERPProtocol
import Foundation

/// Metered usage of the tenant of the caller's transaction.
struct UsageRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// Records `records`; one already recorded (same event and metric) is skipped. Returns how many were new.
    @discardableResult
    func record(_ records: [UsageRecord], tenant: TenantID) async throws -> Int {
        var inserted = 0
        for record in records {
            inserted += try await connection.execute(
                """
                INSERT INTO usage_records (tenant_id, event_id, metric, value, unique_key, occurred_at)
                VALUES (\(tenant.uuid), \(record.eventID.uuid), \(record.metric.rawValue), \(record.value), \(record.uniqueKey), \(record.occurredAt))
                ON CONFLICT DO NOTHING
                """
            )
        }
        return inserted
    }

    /// The value of `metric` over its window: the period `[periodStart, periodEnd)` for per-period
    /// metrics, everything up to `periodEnd` for lifetime ones.
    func aggregate(_ metric: BillableMetric, periodStart: Date, periodEnd: Date) async throws -> Int64 {
        let from = metric.window == .period ? periodStart : Date(timeIntervalSince1970: 0)
        let name = metric.metric.rawValue
        let rows: PostgresRows
        switch metric.aggregation {
        case .count:
            rows = try await connection.query(
                "SELECT count(*)::int8 FROM usage_records WHERE metric = \(name) AND occurred_at >= \(from) AND occurred_at < \(periodEnd)"
            )
        case .sum:
            rows = try await connection.query(
                "SELECT COALESCE(sum(value), 0)::int8 FROM usage_records WHERE metric = \(name) AND occurred_at >= \(from) AND occurred_at < \(periodEnd)"
            )
        case .max:
            rows = try await connection.query(
                "SELECT COALESCE(max(value), 0)::int8 FROM usage_records WHERE metric = \(name) AND occurred_at >= \(from) AND occurred_at < \(periodEnd)"
            )
        case .uniqueCount:
            rows = try await connection.query(
                """
                SELECT count(DISTINCT unique_key)::int8 FROM usage_records
                WHERE metric = \(name) AND occurred_at >= \(from) AND occurred_at < \(periodEnd)
                """
            )
        case .latest:
            // Ties (same instant) are broken by arrival, so the last report wins.
            rows = try await connection.query(
                """
                SELECT COALESCE((SELECT value FROM usage_records WHERE metric = \(name) AND occurred_at >= \(from) AND occurred_at < \(periodEnd)
                                 ORDER BY occurred_at DESC, recorded_at DESC LIMIT 1), 0)::int8
                """
            )
        }
        return max(0, try rows[0].decode(Int64.self, at: 0))
    }

    /// Every metric over the period.
    func usage(periodStart: Date, periodEnd: Date) async throws -> [EntitlementMetric: Int64] {
        var usage: [EntitlementMetric: Int64] = [:]
        for metric in BillableMetric.all {
            usage[metric.metric] = try await aggregate(metric, periodStart: periodStart, periodEnd: periodEnd)
        }
        return usage
    }
}
