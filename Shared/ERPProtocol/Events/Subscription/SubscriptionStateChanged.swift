import Foundation

/// The payload of every subscription lifecycle event (`subscription.started`, `.changed`,
/// `.activated`, `.past_due`, `.unpaid`, `.canceled`, `.cancellation_scheduled`,
/// `.reactivated`, `trial.ending`): the subscription as it is after the transition, and what
/// it was before.
public struct SubscriptionStateChanged: Codable, Sendable, Hashable {
    public var subscriptionId: UUID
    public var plan: PlanReference
    public var status: String
    /// The status before this transition (nil when the subscription was just started).
    public var previousStatus: String?
    /// The plan before this transition, when it changed.
    public var previousPlan: PlanReference?
    public var currentPeriodStart: Date
    public var currentPeriodEnd: Date
    public var trialEnd: Date?
    public var cancelAtPeriodEnd: Bool
    /// Why, in a stable word (`organization_created`, `upgrade`, `downgrade`, `trial_expired`,
    /// `payment_failed`, `dunning_exhausted`, `payment_succeeded`, `canceled_by_customer`, ...).
    public var reason: String

    public init(
        subscriptionId: UUID, plan: PlanReference, status: String, previousStatus: String?, previousPlan: PlanReference?,
        currentPeriodStart: Date, currentPeriodEnd: Date, trialEnd: Date?, cancelAtPeriodEnd: Bool, reason: String
    ) {
        self.subscriptionId = subscriptionId
        self.plan = plan
        self.status = status
        self.previousStatus = previousStatus
        self.previousPlan = previousPlan
        self.currentPeriodStart = currentPeriodStart
        self.currentPeriodEnd = currentPeriodEnd
        self.trialEnd = trialEnd
        self.cancelAtPeriodEnd = cancelAtPeriodEnd
        self.reason = reason
    }
}
