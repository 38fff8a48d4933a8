import Foundation

/// One quantity of a plan: its limit, what the organization uses now, and what is left.
public struct EntitlementUsage: Codable, Sendable, Hashable {
    public var metric: EntitlementMetric
    /// Nil is unlimited.
    public var limit: Int64?
    public var usage: Int64
    /// `limit - usage`, never below zero; nil when unlimited.
    public var remaining: Int64?
    /// Whether usage beyond the limit is allowed and billed (overage) rather than refused.
    public var overageAllowed: Bool

    public init(metric: EntitlementMetric, limit: Int64?, usage: Int64, overageAllowed: Bool) {
        self.metric = metric
        self.limit = limit
        self.usage = usage
        self.remaining = limit.map { max(0, $0 - usage) }
        self.overageAllowed = overageAllowed
    }

    /// Whether `amount` more fit under the limit (always true when unlimited or billed as overage).
    public func allows(adding amount: Int64) -> Bool {
        guard let limit, !overageAllowed else { return true }
        return usage + amount <= limit
    }
}
