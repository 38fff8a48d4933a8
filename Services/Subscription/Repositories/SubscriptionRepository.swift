import ERPPostgres
import ERPProtocol
import Foundation

/// The subscription of the tenant of the caller's transaction, and its transition history.
struct SubscriptionRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    private static let columnList: StaticString = """
        tenant_id, id, plan_code, plan_version, status, billing_anchor, period_number, current_period_start, current_period_end,
        trial_end, trial_ending_notified, trial_used, cancel_at_period_end, canceled_at, pending_plan_code, pending_plan_version,
        past_due_since, version, created_at, updated_at
        """

    /// The subscription, locked for the rest of the transaction when `forUpdate`.
    func find(forUpdate: Bool = false) async throws -> Subscription? {
        let rows = forUpdate
            ? try await connection.query("SELECT \(unescaped: Self.columnList) FROM subscriptions FOR UPDATE")
            : try await connection.query("SELECT \(unescaped: Self.columnList) FROM subscriptions")
        return try rows.first.map(Self.decode)
    }

    /// Inserts `subscription`; false when the organization already has one.
    func insert(_ subscription: Subscription) async throws -> Bool {
        try await connection.execute(
            """
            INSERT INTO subscriptions (tenant_id, id, plan_code, plan_version, status, billing_anchor, period_number, current_period_start,
                current_period_end, trial_end, trial_used, created_at, updated_at)
            VALUES (\(subscription.tenant.uuid), \(subscription.id), \(subscription.planCode), \(subscription.planVersion),
                \(subscription.status.rawValue), \(subscription.billingAnchor), \(subscription.periodNumber), \(subscription.currentPeriodStart),
                \(subscription.currentPeriodEnd), \(subscription.trialEnd), \(subscription.trialUsed), \(subscription.createdAt), \(subscription.updatedAt))
            ON CONFLICT (tenant_id) DO NOTHING
            """
        ) == 1
    }

    /// Writes every field of `subscription` and bumps its version; returns the saved row.
    func save(_ subscription: Subscription, now: Date) async throws -> Subscription {
        let rows = try await connection.query(
            """
            UPDATE subscriptions SET plan_code = \(subscription.planCode), plan_version = \(subscription.planVersion),
                status = \(subscription.status.rawValue), billing_anchor = \(subscription.billingAnchor),
                period_number = \(subscription.periodNumber), current_period_start = \(subscription.currentPeriodStart),
                current_period_end = \(subscription.currentPeriodEnd), trial_end = \(subscription.trialEnd),
                trial_ending_notified = \(subscription.trialEndingNotified), trial_used = \(subscription.trialUsed),
                cancel_at_period_end = \(subscription.cancelAtPeriodEnd), canceled_at = \(subscription.canceledAt),
                pending_plan_code = \(subscription.pendingPlanCode), pending_plan_version = \(subscription.pendingPlanVersion),
                past_due_since = \(subscription.pastDueSince), version = version + 1, updated_at = \(now)
            WHERE id = \(subscription.id)
            RETURNING \(unescaped: Self.columnList)
            """
        )
        return try Self.decode(rows[0])
    }

    func recordTransition(
        tenant: TenantID, from: Subscription?, to: Subscription, reason: String, actor: String, at: Date
    ) async throws {
        try await connection.execute(
            """
            INSERT INTO subscription_transitions (tenant_id, id, from_status, to_status, from_plan, to_plan, reason, actor, occurred_at)
            VALUES (\(tenant.uuid), \(UUID()), \(from?.status.rawValue), \(to.status.rawValue),
                \(from.map { "\($0.planCode)@\($0.planVersion)" }), \("\(to.planCode)@\(to.planVersion)"), \(reason), \(actor), \(at))
            """
        )
    }

    /// The transition history, newest first.
    func transitions(limit: Int) async throws -> [SubscriptionTransition] {
        try await connection.query(
            """
            SELECT from_status, to_status, from_plan, to_plan, reason, actor, occurred_at FROM subscription_transitions
            ORDER BY occurred_at DESC, sequence DESC LIMIT \(limit)
            """
        ).map { row in
            SubscriptionTransition(
                fromStatus: try row.decode(String?.self, named: "from_status"), toStatus: try row.decode(String.self, named: "to_status"),
                fromPlan: try row.decode(String?.self, named: "from_plan"), toPlan: try row.decode(String.self, named: "to_plan"),
                reason: try row.decode(String.self, named: "reason"), actor: try row.decode(String.self, named: "actor"),
                occurredAt: try row.decode(Date.self, named: "occurred_at")
            )
        }
    }

    static func decode(_ row: PostgresRow) throws -> Subscription {
        Subscription(
            id: try row.decode(UUID.self, named: "id"),
            tenant: TenantID(try row.decode(UUID.self, named: "tenant_id")),
            planCode: try row.decode(String.self, named: "plan_code"),
            planVersion: try row.decode(Int.self, named: "plan_version"),
            status: SubscriptionStatus(rawValue: try row.decode(String.self, named: "status")) ?? .active,
            billingAnchor: try row.decode(Date.self, named: "billing_anchor"),
            periodNumber: try row.decode(Int.self, named: "period_number"),
            currentPeriodStart: try row.decode(Date.self, named: "current_period_start"),
            currentPeriodEnd: try row.decode(Date.self, named: "current_period_end"),
            trialEnd: try row.decode(Date?.self, named: "trial_end"),
            trialEndingNotified: try row.decode(Bool.self, named: "trial_ending_notified"),
            trialUsed: try row.decode(Bool.self, named: "trial_used"),
            cancelAtPeriodEnd: try row.decode(Bool.self, named: "cancel_at_period_end"),
            canceledAt: try row.decode(Date?.self, named: "canceled_at"),
            pendingPlanCode: try row.decode(String?.self, named: "pending_plan_code"),
            pendingPlanVersion: try row.decode(Int?.self, named: "pending_plan_version"),
            pastDueSince: try row.decode(Date?.self, named: "past_due_since"),
            version: try row.decode(Int64.self, named: "version"),
            createdAt: try row.decode(Date.self, named: "created_at"),
            updatedAt: try row.decode(Date.self, named: "updated_at")
        )
    }
}
