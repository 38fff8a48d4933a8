import ERPProtocol
import Foundation
import Hummingbird

/// An issued invoice as the API shows it.
struct InvoiceResponse: ResponseCodable {
    @LowercaseUUID var id: UUID
    var number: String
    var status: InvoiceStatus
    var currency: CurrencyCode
    var subtotal: Money
    var taxRateBasisPoints: Int
    var tax: Money
    var total: Money
    var amountPaid: Money
    var amountDue: Money
    var periodStart: Date
    var periodEnd: Date
    var issuedAt: Date?
    var dueAt: Date?
    var paidAt: Date?
    var attemptCount: Int
    var nextAttemptAt: Date?
    var createdAt: Date
    /// Present on `GET /v1/invoices/{id}`.
    var lines: [InvoiceLineResponse]?

    init(_ invoice: Invoice, withLines: Bool) {
        id = invoice.id
        number = invoice.number ?? ""
        status = invoice.status
        currency = invoice.currency
        subtotal = Money(amountMinor: invoice.subtotalMinor, currency: invoice.currency)
        taxRateBasisPoints = invoice.taxRateBasisPoints
        tax = Money(amountMinor: invoice.taxMinor, currency: invoice.currency)
        total = invoice.total
        amountPaid = Money(amountMinor: invoice.amountPaidMinor, currency: invoice.currency)
        amountDue = invoice.amountDue
        periodStart = invoice.periodStart
        periodEnd = invoice.periodEnd
        issuedAt = invoice.issuedAt
        dueAt = invoice.dueAt
        paidAt = invoice.paidAt
        attemptCount = invoice.attemptCount
        nextAttemptAt = invoice.nextAttemptAt
        createdAt = invoice.createdAt
        lines = withLines ? invoice.lines.map { InvoiceLineResponse($0, currency: invoice.currency) } : nil
    }
}

struct InvoiceLineResponse: Codable, Sendable {
    var kind: InvoiceLine.Kind
    var description: String
    var quantity: Int64
    var unitAmount: Money
    var amount: Money
    var metric: String?
    var periodStart: Date
    var periodEnd: Date

    init(_ line: InvoiceLine, currency: CurrencyCode) {
        kind = line.kind
        description = line.description
        quantity = line.quantity
        unitAmount = Money(amountMinor: line.unitAmountMinor, currency: currency)
        amount = Money(amountMinor: line.amountMinor, currency: currency)
        metric = line.metric
        periodStart = line.periodStart
        periodEnd = line.periodEnd
    }
}

/// Keys of the invoice list's cursor.
struct InvoiceCursor: Codable {
    var createdAt: Date
    var id: UUID
}
