import Foundation

/// What an organization may use right now: the answer of erp-subscription's
/// `GET /v1/organizations/{organizationId}/entitlements` and the payload of
/// `erp.subscription.entitlements.changed`. The gateway takes its request allowance from
/// ``rateLimit``; services check features and limits through the kit's `EntitlementClient`.
public struct OrganizationEntitlements: Codable, Sendable, Hashable {
    public var organizationId: TenantID
    public var plan: PlanReference
    /// The subscription's status (`trialing`, `active`, `past_due`, `unpaid`, `canceled`).
    public var status: String
    /// True when the organization may read but not write (an unpaid or canceled subscription).
    public var readOnly: Bool
    /// Feature flags of the plan, sorted (e.g. `basic`, `sso`, `dedicated_support`).
    public var features: [String]
    /// The API allowance the gateway enforces for the whole organization.
    public var rateLimit: RateLimitAllowance
    /// Every limited or metered quantity with its usage in the current period.
    public var metrics: [EntitlementUsage]
    public var currentPeriodStart: Date
    public var currentPeriodEnd: Date
    /// Grows with every change of the subscription, so a cached copy can tell it is stale.
    public var version: Int64

    public init(
        organizationId: TenantID, plan: PlanReference, status: String, readOnly: Bool, features: [String],
        rateLimit: RateLimitAllowance, metrics: [EntitlementUsage], currentPeriodStart: Date, currentPeriodEnd: Date, version: Int64
    ) {
        self.organizationId = organizationId
        self.plan = plan
        self.status = status
        self.readOnly = readOnly
        self.features = features
        self.rateLimit = rateLimit
        self.metrics = metrics
        self.currentPeriodStart = currentPeriodStart
        self.currentPeriodEnd = currentPeriodEnd
        self.version = version
    }

    /// The usage entry of `metric`, if the plan knows it.
    public func usage(of metric: EntitlementMetric) -> EntitlementUsage? {
        metrics.first { $0.metric == metric }
    }
}
