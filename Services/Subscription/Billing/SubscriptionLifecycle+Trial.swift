import ERPPostgres
import ERPProtocol
import Foundation

extension SubscriptionLifecycle {
    /// Starts the one trial an organization gets, of the paid plan `target`, from a free plan.
    func startTrial(of target: Plan) async throws -> Subscription {
        let subscription = try await current(forUpdate: true)
        guard !subscription.trialUsed else { throw SubscriptionError.trialAlreadyUsed }
        guard target.trialDays > 0, !target.isFree else { throw SubscriptionError.trialNotOffered(target.code) }
        let current = try await plan(of: subscription)
        guard subscription.status == .active, current.isFree else {
            throw SubscriptionError.invalidTransition(subscription.status, "given a trial while on a paid plan")
        }
        let used = try await currentUsage(of: subscription)
        let excess = LimitExcess.of(usage: used, against: target)
        guard excess.isEmpty else { throw SubscriptionError.usageExceedsLimits(target.code, excess) }
        let trialEnd = BillingInterval.adding(days: target.trialDays, to: now)
        var moved = subscription
        moved.status = .trialing
        moved.planCode = target.code
        moved.planVersion = target.version
        moved.trialEnd = trialEnd
        moved.trialUsed = true
        moved.trialEndingNotified = false
        moved.pendingPlanCode = nil
        moved.pendingPlanVersion = nil
        moved.billingAnchor = now
        moved.periodNumber = 0
        moved.currentPeriodStart = now
        moved.currentPeriodEnd = trialEnd
        // active → trialing is not a general transition; it is this one offer, so it is saved directly.
        let saved = try await subscriptions.save(moved, now: now)
        try await subscriptions.recordTransition(tenant: tenant, from: subscription, to: saved, reason: "trial_started", actor: actor, at: now)
        try await emit(EventType.Subscription.subscriptionChanged, saved, plan: target, previous: subscription.status,
                       previousPlan: current.reference, reason: "trial_started")
        try await entitlementsChanged(saved, plan: target)
        try await reschedule(saved)
        return saved
    }
}
