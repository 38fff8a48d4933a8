import Foundation

/// The payload of `erp.subscription.invoice.issued` and `.invoice.paid`.
public struct InvoiceEvent: Codable, Sendable, Hashable {
    public var invoiceId: UUID
    public var number: String
    public var status: String
    public var total: Money
    public var amountDue: Money
    public var periodStart: Date
    public var periodEnd: Date
    public var dueAt: Date

    public init(invoiceId: UUID, number: String, status: String, total: Money, amountDue: Money, periodStart: Date, periodEnd: Date, dueAt: Date) {
        self.invoiceId = invoiceId
        self.number = number
        self.status = status
        self.total = total
        self.amountDue = amountDue
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.dueAt = dueAt
    }
}
