import Foundation

/// The payload of `erp.subscription.payment.failed` and `.payment.succeeded`. For a failure,
/// `nextAttemptAt` says when dunning tries again (nil when it has given up).
public struct PaymentEvent: Codable, Sendable, Hashable {
    public var paymentId: UUID
    public var invoiceId: UUID
    public var invoiceNumber: String
    public var amount: Money
    /// Which attempt of this invoice this was (1 for the first charge).
    public var attempt: Int
    public var failureCode: String?
    public var failureMessage: String?
    public var nextAttemptAt: Date?

    public init(
        paymentId: UUID, invoiceId: UUID, invoiceNumber: String, amount: Money, attempt: Int,
        failureCode: String?, failureMessage: String?, nextAttemptAt: Date?
    ) {
        self.paymentId = paymentId
        self.invoiceId = invoiceId
        self.invoiceNumber = invoiceNumber
        self.amount = amount
        self.attempt = attempt
        self.failureCode = failureCode
        self.failureMessage = failureMessage
        self.nextAttemptAt = nextAttemptAt
    }
}
