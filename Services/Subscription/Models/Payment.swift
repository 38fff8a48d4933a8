import ERPProtocol
import Foundation

/// One attempt to collect an invoice. Its id is the provider's Idempotency-Key, so sending the
/// same attempt twice (after a crash) charges once.
struct Payment: Sendable, Hashable {
    var id: UUID
    var invoiceID: UUID
    var attempt: Int
    var amount: Money
    var status: PaymentStatus
    var paymentMethodID: UUID?
    var providerPaymentID: String?
    var failureCode: String?
    var failureMessage: String?
    var initiatedBy: String
    /// Started by a person through `/pay` rather than by billing: it does not count toward dunning.
    var manual: Bool
    var createdAt: Date
    var updatedAt: Date
}
