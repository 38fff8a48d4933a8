import ERPProtocol
import Foundation
import Hummingbird

/// An organization's subscription as the API shows it.
struct SubscriptionResponse: ResponseCodable {
    @LowercaseUUID var id: UUID
    var organizationId: TenantID
    var plan: PlanResponse
    var status: SubscriptionStatus
    var readOnly: Bool
    var currentPeriodStart: Date
    var currentPeriodEnd: Date
    var trialEnd: Date?
    var cancelAtPeriodEnd: Bool
    var canceledAt: Date?
    /// The plan that takes over at the period end (a scheduled downgrade).
    var pendingPlan: PlanReference?
    var version: Int64

    init(_ subscription: Subscription, plan: Plan, pending: PlanReference?) {
        id = subscription.id
        organizationId = subscription.tenant
        self.plan = PlanResponse(plan)
        status = subscription.status
        readOnly = subscription.status.isReadOnly
        currentPeriodStart = subscription.currentPeriodStart
        currentPeriodEnd = subscription.currentPeriodEnd
        trialEnd = subscription.trialEnd
        cancelAtPeriodEnd = subscription.cancelAtPeriodEnd
        canceledAt = subscription.canceledAt
        pendingPlan = pending
        version = subscription.version
    }
}

extension SubscriptionLifecycle {
    /// The response for `subscription` with its plan and pending plan looked up.
    func response(_ subscription: Subscription) async throws -> SubscriptionResponse {
        let plan = try await plan(of: subscription)
        var pending: PlanReference?
        if let code = subscription.pendingPlanCode, let version = subscription.pendingPlanVersion {
            pending = try await plans.find(code: code, version: version)?.reference
        }
        return SubscriptionResponse(subscription, plan: plan, pending: pending)
    }
}
