import ERPProtocol
import ERPServiceKit
import Foundation

/// The subscription service's domain refusals, each a stable problem `code`.
struct SubscriptionError: Error, ProblemConvertible, CustomStringConvertible {
    let problem: ProblemDetails

    private init(_ code: String, _ status: Int, _ title: String, _ detail: String, errors: [FieldIssue]? = nil) {
        problem = ProblemDetails(code: ProblemCode(rawValue: code), status: status, title: title, detail: detail, errors: errors)
    }

    var description: String { "\(problem.code.rawValue): \(problem.detail ?? "")" }

    static let noSubscription = SubscriptionError(
        "subscription_not_found", 404, "No subscription", "This organization has no subscription yet."
    )
    static func unknownPlan(_ code: String) -> SubscriptionError {
        SubscriptionError("plan_not_found", 422, "Unknown plan", "There is no plan \(code) available.",
                          errors: [.invalid("planCode", message: "Choose a plan from GET /v1/plans.")])
    }
    static func samePlan(_ code: String) -> SubscriptionError {
        SubscriptionError("plan_unchanged", 409, "Plan unchanged", "The organization is already on \(code).")
    }
    static func currencyMismatch(_ code: String) -> SubscriptionError {
        SubscriptionError("currency_mismatch", 422, "Currency mismatch", "The plan \(code) bills in another currency than this subscription.")
    }
    static func usageExceedsLimits(_ plan: String, _ excess: [LimitExcess]) -> SubscriptionError {
        let detail = excess.map { "\($0.metric.rawValue) is \($0.usage), the limit is \($0.limit)" }.joined(separator: "; ")
        return SubscriptionError(
            "usage_exceeds_plan_limits", 409, "Usage exceeds the plan's limits",
            "Cannot move to \(plan): \(detail). Reduce the usage first.",
            errors: excess.map { .outOfRange($0.metric.rawValue, message: "Usage \($0.usage) exceeds the limit \($0.limit).") }
        )
    }
    static func invalidTransition(_ from: SubscriptionStatus, _ action: String) -> SubscriptionError {
        SubscriptionError("invalid_subscription_state", 409, "Not possible in this state",
                          "A subscription that is \(from.rawValue) cannot be \(action).")
    }
    static let trialAlreadyUsed = SubscriptionError(
        "trial_already_used", 409, "Trial already used", "This organization has already had its trial."
    )
    static func trialNotOffered(_ code: String) -> SubscriptionError {
        SubscriptionError("trial_not_offered", 422, "No trial for this plan", "The plan \(code) offers no trial.",
                          errors: [.invalid("planCode", message: "Choose a paid plan with trial days.")])
    }
    static func paymentDeclined(_ code: String?, _ message: String?) -> SubscriptionError {
        SubscriptionError("payment_declined", 402, "Payment declined",
                          "The payment provider declined the charge (\(code ?? "payment_failed")): \(message ?? "no reason given"). The invoice stays open.")
    }
    static let noPaymentMethod = SubscriptionError(
        "payment_method_required", 422, "Payment method required", "Add a payment method before paying."
    )
    static let paymentsUnavailable = SubscriptionError(
        "payments_unavailable", 503, "Payments unavailable", "No payment provider is configured."
    )
    static func invoiceNotPayable(_ status: InvoiceStatus) -> SubscriptionError {
        SubscriptionError("invoice_not_payable", 409, "Invoice not payable", "An invoice that is \(status.rawValue) cannot be paid.")
    }
    static let paymentMethodRejected = SubscriptionError(
        "payment_method_rejected", 422, "Payment method rejected", "The payment provider does not know this payment method.",
        errors: [.invalid("providerReference", message: "Use the id the provider returned (pm_…).")]
    )
    static let providerUnavailable = SubscriptionError(
        "payment_provider_unavailable", 502, "Payment provider unavailable", "The payment provider did not answer; try again."
    )
    static let badSignature = SubscriptionError(
        "webhook_signature_invalid", 400, "Invalid signature", "The webhook signature does not match, or its timestamp is outside the tolerance."
    )
}
