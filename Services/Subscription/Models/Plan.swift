import ERPProtocol
import Foundation

/// One published version of a catalog plan. Versions are immutable: what a subscriber pays and
/// may use is fixed by the version it is on.
struct Plan: Sendable, Hashable {
    var code: String
    var version: Int
    var name: String
    var description: String
    /// The tier's rank (Free 0 … Enterprise 3): moving up is an upgrade.
    var tier: Int
    var price: Money
    var interval: BillingInterval
    var trialDays: Int
    var features: [String]
    /// A metric missing here is unlimited.
    var limits: [EntitlementMetric: Int64]
    var overage: [EntitlementMetric: OveragePrice]
    var rateLimitPerMinute: Int
    var available: Bool
    var publishedAt: Date

    var reference: PlanReference { PlanReference(code: code, version: version, name: name) }

    var isFree: Bool { price.amountMinor == 0 }

    /// The limit of `metric` (nil: unlimited).
    func limit(_ metric: EntitlementMetric) -> Int64? { limits[metric] }

    /// Whether moving from `current` to this plan is an upgrade (takes effect at once, prorated)
    /// rather than a downgrade (waits for the period end): a higher tier, or the same tier at a
    /// higher price per day.
    func isUpgrade(from current: Plan) -> Bool {
        if tier != current.tier { return tier > current.tier }
        return pricePerYear > current.pricePerYear
    }

    private var pricePerYear: Int64 { interval == .year ? price.amountMinor : price.amountMinor * 12 }
}
