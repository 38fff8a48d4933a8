import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation

/// Every change of one organization's subscription, inside that organization's transaction:
/// each transition is validated against ``SubscriptionStatus/canMove(to:)``, recorded in the
/// history, published through the outbox, and leaves the scheduler's next due time correct.
/// Calls to the payment provider never happen in here (see ``PaymentCollector``): this type
/// only plans charges and records their outcome.
struct SubscriptionLifecycle {
    let connection: PostgresConnection
    let tenant: TenantID
    let now: Date
    /// Who acts: a user id, `system:scheduler`, `event:<type>`, `provider:webhook`.
    let actor: String
    let dunning: DunningPolicy
    let trace: TraceContext?

    var subscriptions: SubscriptionRepository { SubscriptionRepository(connection) }
    var plans: PlanRepository { PlanRepository(connection) }
    var usage: UsageRepository { UsageRepository(connection) }
    var invoices: InvoiceRepository { InvoiceRepository(connection) }
    var payments: PaymentRepository { PaymentRepository(connection) }

    /// Days before a trial ends when `trial.ending` is sent.
    static let trialNoticeDays = 3
    /// A pending charge is looked at again this long after it was sent, then after twice as
    /// long each time, up to `pendingCheckCap`: sent again when its answer was lost, asked
    /// about when the provider said "processing".
    static let pendingCheckAfter: TimeInterval = 15 * 60
    static let pendingCheckCap: TimeInterval = 6 * 3600
    /// The provider keeps an idempotency key this long (Stripe: at least 24 hours); after it a
    /// charge whose answer was lost is looked up before it is sent again.
    static let idempotencyWindow: TimeInterval = 23 * 3600

    // MARK: - Reading

    func current(forUpdate: Bool = false) async throws -> Subscription {
        guard let subscription = try await subscriptions.find(forUpdate: forUpdate) else { throw SubscriptionError.noSubscription }
        return subscription
    }

    func plan(of subscription: Subscription) async throws -> Plan {
        guard let plan = try await plans.find(code: subscription.planCode, version: subscription.planVersion) else {
            throw SubscriptionError.unknownPlan(subscription.planCode)
        }
        return plan
    }

    /// Usage of every metric in `subscription`'s current period, as of now (a period whose end
    /// has passed but is not yet renewed still counts what arrived since).
    func currentUsage(of subscription: Subscription) async throws -> [EntitlementMetric: Int64] {
        try await usage.usage(periodStart: subscription.currentPeriodStart, periodEnd: max(subscription.currentPeriodEnd, now))
    }

    /// What `subscription` on `plan` allows right now.
    func entitlements(of subscription: Subscription, plan: Plan) async throws -> OrganizationEntitlements {
        OrganizationEntitlements(subscription: subscription, plan: plan, usage: try await currentUsage(of: subscription))
    }

    /// The organization's entitlements as of now.
    func entitlements() async throws -> OrganizationEntitlements {
        let subscription = try await current()
        return try await entitlements(of: subscription, plan: try await plan(of: subscription))
    }

    // MARK: - Starting

    /// Starts the organization's subscription to `plan` (a trial when asked and offered).
    /// Returns nil when it already has one (a redelivered `organization.created`).
    @discardableResult
    func start(plan: Plan, trial: Bool, reason: String) async throws -> Subscription? {
        let subscription = Subscription.start(tenant: tenant, plan: plan, trial: trial, now: now)
        guard try await subscriptions.insert(subscription) else { return nil }
        try await subscriptions.recordTransition(tenant: tenant, from: nil, to: subscription, reason: reason, actor: actor, at: now)
        try await emit(EventType.Subscription.subscriptionStarted, subscription, plan: plan, previous: nil, previousPlan: nil, reason: reason)
        try await entitlementsChanged(subscription, plan: plan)
        if subscription.status == .active, !plan.isFree, let invoice = try await issueInvoice(for: subscription, plan: plan, ended: nil) {
            // A paid plan without a trial is billed in advance; the next sweep charges it.
            try await invoices.recordFailedAttempt(invoice.id, attempts: 0, nextAttemptAt: now, at: now)
        }
        try await reschedule(subscription)
        return subscription
    }

    // MARK: - Transitions

    /// Moves `subscription` to `status` (validated), records and publishes it, and saves.
    func transition(
        _ subscription: Subscription, to status: SubscriptionStatus, event: EventType, reason: String,
        previousPlan: Plan? = nil, change: (inout Subscription) -> Void = { _ in }
    ) async throws -> Subscription {
        guard subscription.status.canMove(to: status) else {
            throw SubscriptionError.invalidTransition(subscription.status, "moved to \(status.rawValue)")
        }
        var next = subscription
        next.status = status
        change(&next)
        let saved = try await subscriptions.save(next, now: now)
        try await subscriptions.recordTransition(tenant: tenant, from: subscription, to: saved, reason: reason, actor: actor, at: now)
        let plan = try await plan(of: saved)
        try await emit(event, saved, plan: plan, previous: subscription.status, previousPlan: previousPlan?.reference, reason: reason)
        try await entitlementsChanged(saved, plan: plan)
        try await reschedule(saved)
        return saved
    }

    /// Publishes the organization's new entitlements (for caches such as the gateway's).
    func entitlementsChanged(_ subscription: Subscription, plan: Plan) async throws {
        try await publish(EventType.Subscription.entitlementsChanged, subject: subscription.id.uuidString,
                          try await entitlements(of: subscription, plan: plan))
    }

    func emit(
        _ type: EventType, _ subscription: Subscription, plan: Plan, previous: SubscriptionStatus?, previousPlan: PlanReference?, reason: String
    ) async throws {
        let payload = SubscriptionStateChanged(
            subscriptionId: subscription.id, plan: plan.reference, status: subscription.status.rawValue, previousStatus: previous?.rawValue,
            previousPlan: previousPlan, currentPeriodStart: subscription.currentPeriodStart, currentPeriodEnd: subscription.currentPeriodEnd,
            trialEnd: subscription.trialEnd, cancelAtPeriodEnd: subscription.cancelAtPeriodEnd, reason: reason
        )
        try await publish(type, subject: subscription.id.uuidString, payload)
    }

    func publish<Payload: Codable & Sendable>(_ type: EventType, subject: String, _ payload: Payload) async throws {
        let event = EventEnvelope(type: type, tenantID: tenant, subject: subject, data: payload, traceparent: trace?.child().traceparent, time: now)
        try await Outbox.enqueue(event, on: connection)
    }

    // MARK: - Schedule

    /// Stores when this organization next has time-driven work.
    func reschedule(_ subscription: Subscription) async throws {
        var candidates: [Date] = []
        switch subscription.status {
        case .canceled:
            break
        case .trialing:
            if !subscription.trialEndedAwaitingPayment, let trialEnd = subscription.trialEnd {
                candidates.append(trialEnd)
                if !subscription.trialEndingNotified {
                    candidates.append(BillingInterval.adding(days: -Self.trialNoticeDays, to: trialEnd))
                }
            }
        case .active, .pastDue, .unpaid:
            candidates.append(subscription.currentPeriodEnd)
        }
        if let retry = try await invoices.nextRetry() { candidates.append(retry) }
        if let check = try await payments.nextCheck() { candidates.append(check) }
        try await BillingScheduleRepository(connection).set(tenant: tenant, nextDueAt: candidates.min())
    }
}
