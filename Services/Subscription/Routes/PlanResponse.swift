import ERPProtocol
import Foundation
import Hummingbird

/// A catalog plan version as the API shows it.
struct PlanResponse: ResponseCodable {
    var code: String
    var version: Int
    var name: String
    var description: String
    var tier: Int
    var price: Money
    var interval: BillingInterval
    var trialDays: Int
    var features: [String]
    /// Limits per metric; a metric not listed is unlimited.
    var limits: [String: Int64]
    var overage: [String: OveragePrice]
    var rateLimit: RateLimitAllowance
    var available: Bool
    var publishedAt: Date

    init(_ plan: Plan) {
        code = plan.code
        version = plan.version
        name = plan.name
        description = plan.description
        tier = plan.tier
        price = plan.price
        interval = plan.interval
        trialDays = plan.trialDays
        features = plan.features.sorted()
        limits = Dictionary(uniqueKeysWithValues: plan.limits.map { ($0.key.rawValue, $0.value) })
        overage = Dictionary(uniqueKeysWithValues: plan.overage.map { ($0.key.rawValue, $0.value) })
        rateLimit = RateLimitAllowance(requestsPerMinute: plan.rateLimitPerMinute)
        available = plan.available
        publishedAt = plan.publishedAt
    }
}

struct PlanList: ResponseCodable {
    var items: [PlanResponse]
}
