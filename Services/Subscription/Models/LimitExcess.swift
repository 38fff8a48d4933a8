import ERPProtocol
import Foundation

/// A metric whose current usage does not fit a plan's limit (why a downgrade is refused).
struct LimitExcess: Codable, Sendable, Hashable {
    var metric: EntitlementMetric
    var usage: Int64
    var limit: Int64

    /// Every limited standing quantity (users, stored bytes) of `plan` that `usage` exceeds.
    /// Per-period quantities start again with the new plan's period, and overage-billed metrics
    /// are charged rather than refused, so neither blocks a downgrade.
    static func of(usage: [EntitlementMetric: Int64], against plan: Plan) -> [LimitExcess] {
        plan.limits.compactMap { metric, limit in
            let used = usage[metric] ?? 0
            guard used > limit, plan.overage[metric] == nil, BillableMetric.named(metric)?.window == .lifetime else { return nil }
            return LimitExcess(metric: metric, usage: used, limit: limit)
        }.sorted { $0.metric.rawValue < $1.metric.rawValue }
    }
}
