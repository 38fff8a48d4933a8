import ERPProtocol
import Foundation

extension OrganizationEntitlements {
    /// What `subscription` on `plan` allows, with `usage` per metric for its current period.
    init(subscription: Subscription, plan: Plan, usage: [EntitlementMetric: Int64]) {
        var metrics: [EntitlementUsage] = []
        for metric in BillableMetric.all.map(\.metric) {
            metrics.append(EntitlementUsage(
                metric: metric, limit: plan.limit(metric), usage: usage[metric] ?? 0, overageAllowed: plan.overage[metric] != nil
            ))
        }
        self.init(
            organizationId: subscription.tenant, plan: plan.reference, status: subscription.status.rawValue,
            readOnly: subscription.status.isReadOnly, features: plan.features.sorted(),
            rateLimit: RateLimitAllowance(requestsPerMinute: plan.rateLimitPerMinute), metrics: metrics,
            currentPeriodStart: subscription.currentPeriodStart, currentPeriodEnd: subscription.currentPeriodEnd,
            version: subscription.version
        )
    }
}
