import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// The organization's own subscription: read it, preview and change the plan, start the one
/// trial, cancel and reactivate.
struct SubscriptionController {
    let dependencies: SubscriptionDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/subscription", use: show)
        router.get("/v1/subscription/history", use: history)
        router.post("/v1/subscription/change-preview", use: preview)
        router.post("/v1/subscription/change", use: change)
        router.post("/v1/subscription/trial", use: trial)
        router.post("/v1/subscription/cancel", use: cancel)
        router.post("/v1/subscription/reactivate", use: reactivate)
    }

    struct PlanInput: Decodable {
        var planCode: String?
    }

    struct CancelInput: Decodable {
        /// Default true: keep the paid period, end at its close.
        var atPeriodEnd: Bool?
    }

    struct ChangeResponse: ResponseCodable {
        var timing: PlanChange.Timing
        var effectiveAt: Date
        var from: PlanReference
        var to: PlanReference
        /// Added to the next invoice (before tax); nil when nothing is owed.
        var proratedAmount: Money?
        var remainingDays: Int64?
        var periodDays: Int64?
        /// Present after the change (absent from a preview).
        var subscription: SubscriptionResponse?

        init(_ change: PlanChange, subscription: SubscriptionResponse?) {
            timing = change.timing
            effectiveAt = change.effectiveAt
            from = change.from.reference
            to = change.to.reference
            proratedAmount = change.proration?.amount
            remainingDays = change.proration?.remainingDays
            periodDays = change.proration?.periodDays
            self.subscription = subscription
        }
    }

    struct History: ResponseCodable {
        var items: [SubscriptionTransition]
    }

    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<SubscriptionResponse> {
        let tenant = try context.require("subscription.subscription.read").tenantID
        let response = try await dependencies.reading(tenant) { try await $0.response(try await $0.current()) }
        return EditedResponse(headers: .etag(Int(response.version)), response: response)
    }

    @Sendable func history(_ request: Request, context: ERPRequestContext) async throws -> History {
        let tenant = try context.require("subscription.subscription.read").tenantID
        return History(items: try await dependencies.reading(tenant) { try await $0.subscriptions.transitions(limit: 200) })
    }

    @Sendable func preview(_ request: Request, context: ERPRequestContext) async throws -> ChangeResponse {
        let tenant = try context.require("subscription.subscription.read").tenantID
        let code = try await planCode(request, context)
        return try await dependencies.reading(tenant) { lifecycle in
            let target = try await Self.plan(code, lifecycle)
            return ChangeResponse(try await lifecycle.planChange(to: target, subscription: try await lifecycle.current()), subscription: nil)
        }
    }

    @Sendable func change(_ request: Request, context: ERPRequestContext) async throws -> ChangeResponse {
        let identity = try context.require("subscription.plan.manage")
        let code = try await planCode(request, context)
        return try await dependencies.withLifecycle(identity.tenantID, actor: identity.subject, trace: context.trace) { lifecycle in
            let target = try await Self.plan(code, lifecycle)
            let (subscription, change) = try await lifecycle.changePlan(to: target)
            return ChangeResponse(change, subscription: try await lifecycle.response(subscription))
        }
    }

    @Sendable func trial(_ request: Request, context: ERPRequestContext) async throws -> SubscriptionResponse {
        let identity = try context.require("subscription.plan.manage")
        let code = try await planCode(request, context)
        return try await dependencies.withLifecycle(identity.tenantID, actor: identity.subject, trace: context.trace) { lifecycle in
            try await lifecycle.response(try await lifecycle.startTrial(of: try await Self.plan(code, lifecycle)))
        }
    }

    @Sendable func cancel(_ request: Request, context: ERPRequestContext) async throws -> SubscriptionResponse {
        let identity = try context.require("subscription.plan.manage")
        let input = try await request.decode(as: CancelInput.self, context: context)
        return try await dependencies.withLifecycle(identity.tenantID, actor: identity.subject, trace: context.trace) { lifecycle in
            try await lifecycle.response(try await lifecycle.cancel(atPeriodEnd: input.atPeriodEnd ?? true))
        }
    }

    /// Withdraws a scheduled cancellation, or restarts a canceled subscription (its first
    /// invoice is charged at once).
    @Sendable func reactivate(_ request: Request, context: ERPRequestContext) async throws -> SubscriptionResponse {
        let identity = try context.require("subscription.plan.manage")
        let invoice = try await dependencies.withLifecycle(identity.tenantID, actor: identity.subject, trace: context.trace) {
            try await $0.reactivate().1
        }
        if let invoice {
            try await dependencies.collector.collect([invoice.id], tenant: identity.tenantID, initiatedBy: identity.subject)
        }
        return try await dependencies.reading(identity.tenantID) { try await $0.response(try await $0.current()) }
    }

    private func planCode(_ request: Request, _ context: ERPRequestContext) async throws -> String {
        let input = try await request.decode(as: PlanInput.self, context: context)
        let code = (input.planCode ?? "").trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty else { throw ProblemDetails.validation([.required("planCode")]) }
        return code
    }

    private static func plan(_ code: String, _ lifecycle: SubscriptionLifecycle) async throws -> Plan {
        guard let plan = try await lifecycle.plans.current(code: code) else { throw SubscriptionError.unknownPlan(code) }
        return plan
    }
}
