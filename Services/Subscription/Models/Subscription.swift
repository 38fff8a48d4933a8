import ERPProtocol
import Foundation

/// An organization's subscription (one per organization).
struct Subscription: Sendable, Hashable {
    var id: UUID
    var tenant: TenantID
    var planCode: String
    var planVersion: Int
    var status: SubscriptionStatus
    var billingAnchor: Date
    var periodNumber: Int
    var currentPeriodStart: Date
    var currentPeriodEnd: Date
    var trialEnd: Date?
    var trialEndingNotified: Bool
    var trialUsed: Bool
    var cancelAtPeriodEnd: Bool
    var canceledAt: Date?
    var pendingPlanCode: String?
    var pendingPlanVersion: Int?
    var pastDueSince: Date?
    var version: Int64
    var createdAt: Date
    var updatedAt: Date

    /// A new subscription to `plan` starting at `now`: a trial when `trial` and the plan offers one.
    static func start(tenant: TenantID, plan: Plan, trial: Bool, now: Date) -> Subscription {
        let trialing = trial && plan.trialDays > 0 && !plan.isFree
        let end = trialing ? BillingInterval.adding(days: plan.trialDays, to: now) : plan.interval.boundary(anchor: now, number: 1)
        return Subscription(
            id: UUID(), tenant: tenant, planCode: plan.code, planVersion: plan.version, status: trialing ? .trialing : .active,
            billingAnchor: now, periodNumber: 0, currentPeriodStart: now, currentPeriodEnd: end, trialEnd: trialing ? end : nil,
            trialEndingNotified: false, trialUsed: trialing, cancelAtPeriodEnd: false, canceledAt: nil, pendingPlanCode: nil,
            pendingPlanVersion: nil, pastDueSince: nil, version: 1, createdAt: now, updatedAt: now
        )
    }

    /// The trial is over and its first invoice issued, but the charge has no outcome yet (the
    /// provider said "processing", or its answer was lost): the trial must not end again.
    var trialEndedAwaitingPayment: Bool {
        guard status == .trialing, let trialEnd else { return false }
        return currentPeriodStart >= trialEnd
    }

    /// Starts the next period: `[currentPeriodEnd, anchor + (n+1) intervals)`.
    mutating func advancePeriod(interval: BillingInterval) {
        periodNumber += 1
        currentPeriodStart = currentPeriodEnd
        currentPeriodEnd = interval.boundary(anchor: billingAnchor, number: periodNumber + 1)
    }

    /// Re-anchors the billing cycle at `start` (when a trial converts or a canceled subscription restarts).
    mutating func restartPeriods(at start: Date, interval: BillingInterval) {
        billingAnchor = start
        periodNumber = 0
        currentPeriodStart = start
        currentPeriodEnd = interval.boundary(anchor: start, number: 1)
    }
}
