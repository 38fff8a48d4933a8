import ERPProtocol
import Foundation

/// A quantity the suite meters: which aggregation over which window. Limits and overage in a
/// plan refer to these codes; `EventHandlers/` turn events into usage records for them.
struct BillableMetric: Sendable, Hashable {
    enum Window: String, Sendable, Hashable {
        /// Resets with every billing period (queries, tokens).
        case period
        /// Counts everything ever recorded (a gauge such as users or stored bytes).
        case lifetime
    }

    var metric: EntitlementMetric
    var aggregation: Aggregation
    var window: Window
    var description: String

    /// Active users: +1 on `user.created`/`.reactivated`, −1 on `.deactivated`.
    static let users = BillableMetric(metric: .users, aggregation: .sum, window: .lifetime, description: "Active users")
    /// Stored bytes: the organization's total as the file service last reported it.
    static let storageBytes = BillableMetric(metric: .storageBytes, aggregation: .latest, window: .lifetime, description: "Stored bytes")
    /// The most bytes stored at any time in the period.
    static let storagePeakBytes = BillableMetric(
        metric: EntitlementMetric(rawValue: "storage_peak_bytes"), aggregation: .max, window: .period, description: "Peak stored bytes"
    )
    /// AI queries answered in the period.
    static let aiQueries = BillableMetric(metric: .aiQueries, aggregation: .count, window: .period, description: "AI queries")
    /// AI tokens (prompt + completion) in the period.
    static let aiTokens = BillableMetric(metric: .aiTokens, aggregation: .sum, window: .period, description: "AI tokens")
    /// Distinct users who asked the AI in the period.
    static let aiUsers = BillableMetric(
        metric: EntitlementMetric(rawValue: "ai_users"), aggregation: .uniqueCount, window: .period, description: "Users of the AI assistant"
    )

    static let all: [BillableMetric] = [users, storageBytes, storagePeakBytes, aiQueries, aiTokens, aiUsers]

    static func named(_ metric: EntitlementMetric) -> BillableMetric? {
        all.first { $0.metric == metric }
    }
}
