import ERPProtocol
import Foundation

/// The payment provider the suite charges through (Stripe or anything that speaks its API).
/// Card details never pass through us: the browser hands the card to the provider and we keep
/// the provider's reference.
protocol PaymentProvider: Sendable {
    /// The provider's customer for an organization (created once, then remembered).
    func createCustomer(organization: TenantID, email: String?) async throws -> String

    /// Attaches a payment method the browser created to `customer`; returns what to display.
    func attach(paymentMethod reference: String, customer: String) async throws -> CardDetails

    /// Charges `request` off-session. `request.idempotencyKey` makes a repeated call one charge.
    func charge(_ request: ChargeRequest) async throws -> ChargeResult

    /// Where the charge the provider knows as `providerPaymentID` stands now.
    func retrieve(providerPaymentID: String) async throws -> ChargeResult

    /// The charge made for our payment `paymentID` (its metadata), if the provider has one.
    func find(paymentID: String) async throws -> ChargeResult?
}

/// What the provider tells us about a stored card (never the number).
struct CardDetails: Sendable, Hashable {
    var brand: String
    var last4: String
    var expMonth: Int
    var expYear: Int
}

struct ChargeRequest: Sendable, Hashable {
    var amount: Money
    var customer: String
    var paymentMethod: String
    var idempotencyKey: String
    var description: String
    /// Sent along and returned in webhooks, so an event finds its organization and payment.
    var metadata: [String: String]
}

struct ChargeResult: Sendable, Hashable {
    var providerPaymentID: String?
    var status: PaymentStatus
    var failureCode: String?
    var failureMessage: String?
}

/// The provider refused a request for a reason the caller can fix (unknown payment method).
struct PaymentProviderRejection: Error, CustomStringConvertible {
    var code: String
    var message: String
    var description: String { "payment provider rejected the request: \(code)" }
}
