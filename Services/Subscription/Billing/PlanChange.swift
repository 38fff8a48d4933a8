import Foundation

/// What changing to another plan does (and, for a preview, would do).
struct PlanChange: Sendable, Hashable {
    enum Timing: String, Codable, Sendable {
        /// Upgrades: the new plan applies now, prorated.
        case immediate
        /// Downgrades and interval changes: the new plan starts with the next period.
        case periodEnd = "period_end"
    }

    var from: Plan
    var to: Plan
    var timing: Timing
    var effectiveAt: Date
    /// Charged on the next invoice; nil when nothing is owed.
    var proration: Proration?
}
