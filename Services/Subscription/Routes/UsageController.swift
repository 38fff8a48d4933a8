import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Current usage of every metric, with the aggregation and window it is measured over.
struct UsageController {
    let dependencies: SubscriptionDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/usage", use: show)
    }

    struct MetricUsage: Codable, Sendable {
        var metric: EntitlementMetric
        var description: String
        var aggregation: Aggregation
        /// `period` (resets each billing period) or `lifetime`.
        var window: String
        var usage: Int64
        var limit: Int64?
        var remaining: Int64?
    }

    struct UsageResponse: ResponseCodable {
        var periodStart: Date
        var periodEnd: Date
        var metrics: [MetricUsage]
    }

    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> UsageResponse {
        let tenant = try context.require("subscription.usage.read").tenantID
        return try await dependencies.reading(tenant) { lifecycle in
            let subscription = try await lifecycle.current()
            let plan = try await lifecycle.plan(of: subscription)
            let used = try await lifecycle.currentUsage(of: subscription)
            let metrics = BillableMetric.all.map { metric in
                let value = used[metric.metric] ?? 0
                let limit = plan.limit(metric.metric)
                return MetricUsage(
                    metric: metric.metric, description: metric.description, aggregation: metric.aggregation, window: metric.window.rawValue,
                    usage: value, limit: limit, remaining: limit.map { max(0, $0 - value) }
                )
            }
            return UsageResponse(periodStart: subscription.currentPeriodStart, periodEnd: subscription.currentPeriodEnd, metrics: metrics)
        }
    }
}
