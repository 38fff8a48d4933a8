import ERPPostgres
import ERPProtocol
import Foundation

extension SubscriptionLifecycle {
    /// What moving to `target` would do, refusing what is not allowed (see ``changePlan(to:)``).
    func planChange(to target: Plan, subscription: Subscription) async throws -> PlanChange {
        let current = try await plan(of: subscription)
        guard target.code != current.code || target.version != current.version else { throw SubscriptionError.samePlan(target.code) }
        guard target.price.currency == current.price.currency else { throw SubscriptionError.currencyMismatch(target.code) }
        switch subscription.status {
        case .canceled: throw SubscriptionError.invalidTransition(.canceled, "changed; reactivate it")
        case .unpaid: throw SubscriptionError.invalidTransition(.unpaid, "changed before the open invoices are paid")
        case .trialing, .active, .pastDue: break
        }
        let used = try await currentUsage(of: subscription)
        let excess = LimitExcess.of(usage: used, against: target)
        guard excess.isEmpty else { throw SubscriptionError.usageExceedsLimits(target.code, excess) }
        if subscription.status == .trialing {
            return PlanChange(from: current, to: target, timing: .immediate, effectiveAt: now, proration: nil)
        }
        if target.isUpgrade(from: current) && target.interval == current.interval {
            let proration = try Proration.upgrade(
                from: current, to: target, at: now, periodStart: subscription.currentPeriodStart, periodEnd: subscription.currentPeriodEnd
            )
            return PlanChange(from: current, to: target, timing: .immediate, effectiveAt: now, proration: proration)
        }
        return PlanChange(from: current, to: target, timing: .periodEnd, effectiveAt: subscription.currentPeriodEnd, proration: nil)
    }

    /// Moves the organization to `target`: upgrades at once with a proration line for the next
    /// invoice, downgrades (refused while usage exceeds the target's limits) and interval changes
    /// at the period end. During a trial the plan simply changes (a free plan ends the trial).
    func changePlan(to target: Plan) async throws -> (Subscription, PlanChange) {
        let subscription = try await current(forUpdate: true)
        let change = try await planChange(to: target, subscription: subscription)
        switch change.timing {
        case .periodEnd:
            let saved = try await transition(subscription, to: subscription.status, event: EventType.Subscription.subscriptionChanged,
                                             reason: "change_scheduled") {
                $0.pendingPlanCode = target.code
                $0.pendingPlanVersion = target.version
            }
            return (saved, change)
        case .immediate:
            if let proration = change.proration {
                let charge = PendingCharge(
                    id: UUID(), description: "\(change.from.name) → \(target.name), \(proration.remainingDays) of \(proration.periodDays) days",
                    amountMinor: proration.amount.amountMinor, periodStart: now, periodEnd: subscription.currentPeriodEnd
                )
                try await PendingChargeRepository(connection).add(charge, currency: proration.amount.currency, tenant: tenant)
            }
            let endsTrial = subscription.status == .trialing && target.isFree
            let saved = try await transition(
                subscription, to: endsTrial ? .active : subscription.status, event: EventType.Subscription.subscriptionChanged,
                reason: target.isUpgrade(from: change.from) ? "upgrade" : "downgrade", previousPlan: change.from
            ) {
                $0.planCode = target.code
                $0.planVersion = target.version
                $0.pendingPlanCode = nil
                $0.pendingPlanVersion = nil
                if endsTrial {
                    $0.trialEnd = nil
                    $0.restartPeriods(at: now, interval: target.interval)
                }
            }
            return (saved, change)
        }
    }

    /// Cancels now (read-only at once) or at the period end (withdrawable with ``reactivate()``).
    func cancel(atPeriodEnd: Bool) async throws -> Subscription {
        let subscription = try await current(forUpdate: true)
        guard subscription.status != .canceled else { throw SubscriptionError.invalidTransition(.canceled, "canceled again") }
        if atPeriodEnd {
            guard !subscription.cancelAtPeriodEnd else { return subscription }
            return try await transition(subscription, to: subscription.status, event: EventType.Subscription.cancellationScheduled,
                                        reason: "canceled_by_customer") { $0.cancelAtPeriodEnd = true }
        }
        return try await transition(subscription, to: .canceled, event: EventType.Subscription.subscriptionCanceled, reason: "canceled_by_customer") {
            $0.canceledAt = now
            $0.cancelAtPeriodEnd = false
            $0.pendingPlanCode = nil
            $0.pendingPlanVersion = nil
        }
    }

    /// Withdraws a scheduled cancellation, or restarts a canceled subscription on its plan (a
    /// new period from now, invoiced at once). Returns the invoice to collect, if any.
    func reactivate() async throws -> (Subscription, Invoice?) {
        let subscription = try await current(forUpdate: true)
        if subscription.status != .canceled {
            guard subscription.cancelAtPeriodEnd else { throw SubscriptionError.invalidTransition(subscription.status, "reactivated; it is not canceled") }
            let saved = try await transition(subscription, to: subscription.status, event: EventType.Subscription.subscriptionReactivated,
                                             reason: "cancellation_withdrawn") { $0.cancelAtPeriodEnd = false }
            return (saved, nil)
        }
        var plan = try await plan(of: subscription)
        // A retired version is not sold again: restart on the plan's current version.
        if !plan.available, let current = try await plans.current(code: plan.code) { plan = current }
        let restarted = try await transition(subscription, to: .active, event: EventType.Subscription.subscriptionReactivated, reason: "restarted") {
            $0.planCode = plan.code
            $0.planVersion = plan.version
            $0.canceledAt = nil
            $0.trialEnd = nil
            $0.pastDueSince = nil
            $0.restartPeriods(at: now, interval: plan.interval)
        }
        let invoice = try await issueInvoice(for: restarted, plan: plan, ended: nil)
        return (restarted, invoice)
    }
}
