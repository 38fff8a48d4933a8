import ERPPostgres
import ERPProtocol
import Foundation

extension SubscriptionLifecycle {
    /// Does every piece of time-driven work that is due at `now`, catching up on missed periods
    /// one at a time: trial notices and trial ends, period ends (cancellation, scheduled plan
    /// changes, renewal invoices), and dunning retries. Returns the invoices to charge now.
    func runDueWork() async throws -> [UUID] {
        guard var subscription = try await subscriptions.find(forUpdate: true) else {
            try await BillingScheduleRepository(connection).set(tenant: tenant, nextDueAt: nil)
            return []
        }
        var toCharge: [UUID] = []
        if subscription.status == .trialing, !subscription.trialEndedAwaitingPayment, let trialEnd = subscription.trialEnd {
            if !subscription.trialEndingNotified, BillingInterval.adding(days: -Self.trialNoticeDays, to: trialEnd) <= now, trialEnd > now {
                subscription = try await transition(subscription, to: .trialing, event: EventType.Subscription.trialEnding, reason: "trial_ending") {
                    $0.trialEndingNotified = true
                }
            }
            if trialEnd <= now {
                let (ended, invoice) = try await endTrial(subscription, at: trialEnd)
                subscription = ended
                if let invoice { toCharge.append(invoice.id) }
            }
        }
        var renewals = 0
        while subscription.status != .canceled, subscription.status != .trialing, subscription.currentPeriodEnd <= now, renewals < 1000 {
            let (renewed, invoice) = try await renew(subscription)
            subscription = renewed
            if let invoice, subscription.status != .unpaid { toCharge.append(invoice.id) }
            renewals += 1
        }
        for invoice in try await invoices.dueForRetry(at: now) where !toCharge.contains(invoice.id) {
            toCharge.append(invoice.id)
        }
        try await reschedule(subscription)
        return toCharge
    }

    /// Pending charges due to be looked at again (see `followUp`).
    func stalePayments() async throws -> [Payment] {
        try await payments.dueForCheck(at: now)
    }

    /// The trial is over: a trial that was to be canceled ends; otherwise the first paid period
    /// starts at the trial's end and is invoiced. The subscription becomes active when that
    /// invoice is paid, past due when the charge fails (or there is nothing to charge).
    private func endTrial(_ subscription: Subscription, at trialEnd: Date) async throws -> (Subscription, Invoice?) {
        if subscription.cancelAtPeriodEnd {
            let canceled = try await transition(subscription, to: .canceled, event: EventType.Subscription.subscriptionCanceled, reason: "trial_ended") {
                $0.canceledAt = trialEnd
                $0.cancelAtPeriodEnd = false
            }
            return (canceled, nil)
        }
        let plan = try await plan(of: subscription)
        var started = subscription
        started.restartPeriods(at: trialEnd, interval: plan.interval)
        started = try await subscriptions.save(started, now: now)
        let invoice = try await issueInvoice(for: started, plan: plan, ended: nil)
        if invoice == nil {
            let active = try await transition(started, to: .active, event: EventType.Subscription.subscriptionActivated, reason: "trial_converted")
            return (active, nil)
        }
        return (started, invoice)
    }

    /// Ends the current period: cancels if asked, applies a scheduled plan change, starts the
    /// next period and issues its invoice (plan fee ahead, proration and overage behind).
    private func renew(_ subscription: Subscription) async throws -> (Subscription, Invoice?) {
        let endedPlan = try await plan(of: subscription)
        let endedPeriod = (start: subscription.currentPeriodStart, end: subscription.currentPeriodEnd)
        if subscription.cancelAtPeriodEnd {
            let canceled = try await transition(subscription, to: .canceled, event: EventType.Subscription.subscriptionCanceled,
                                                reason: "canceled_at_period_end") {
                $0.canceledAt = endedPeriod.end
                $0.cancelAtPeriodEnd = false
            }
            return (canceled, nil)
        }
        var next = subscription
        var plan = endedPlan
        if let code = subscription.pendingPlanCode, let version = subscription.pendingPlanVersion,
           let pending = try await plans.find(code: code, version: version) {
            plan = pending
            next = try await transition(subscription, to: subscription.status, event: EventType.Subscription.subscriptionChanged,
                                        reason: "scheduled_change_applied", previousPlan: endedPlan) {
                $0.planCode = pending.code
                $0.planVersion = pending.version
                $0.pendingPlanCode = nil
                $0.pendingPlanVersion = nil
                if pending.interval != endedPlan.interval {
                    $0.restartPeriods(at: endedPeriod.end, interval: pending.interval)
                } else {
                    $0.advancePeriod(interval: pending.interval)
                }
            }
        } else {
            next.advancePeriod(interval: plan.interval)
            next = try await subscriptions.save(next, now: now)
        }
        let invoice = try await issueInvoice(for: next, plan: plan, ended: (endedPlan, endedPeriod))
        return (next, invoice)
    }

    /// Issues the invoice that opens `subscription`'s current period; nil when there is nothing
    /// to bill (a free plan without overage or pending charges).
    func issueInvoice(
        for subscription: Subscription, plan: Plan, ended: (plan: Plan, period: (start: Date, end: Date))?
    ) async throws -> Invoice? {
        let charges = PendingChargeRepository(connection)
        let unbilled = try await charges.unbilled()
        var endedUsage: [EntitlementMetric: Int64] = [:]
        if let ended { endedUsage = try await usage.usage(periodStart: ended.period.start, periodEnd: ended.period.end) }
        let settings = try await BillingSettingsRepository(connection).get()
        let draft = InvoiceDraft.renewal(
            plan: plan, periodStart: subscription.currentPeriodStart, periodEnd: subscription.currentPeriodEnd, charges: unbilled,
            endedPlan: ended?.plan, endedPeriod: ended?.period, endedPeriodUsage: endedUsage, taxRateBasisPoints: settings.taxRateBasisPoints
        )
        guard !draft.isEmpty else { return nil }
        let invoice = try await invoices.issue(draft, tenant: tenant, at: now, dueAt: subscription.currentPeriodStart)
        try await charges.markBilled(unbilled, invoice: invoice.id)
        try await publish(EventType.Subscription.invoiceIssued, subject: invoice.id.uuidString, invoice.event)
        return invoice
    }
}
