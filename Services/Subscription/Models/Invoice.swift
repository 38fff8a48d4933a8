import ERPProtocol
import Foundation

/// A billing invoice of an organization, numbered per organization (`INV-000001`).
struct Invoice: Sendable, Hashable {
    var id: UUID
    var number: String?
    var status: InvoiceStatus
    var currency: CurrencyCode
    var subtotalMinor: Int64
    var taxRateBasisPoints: Int
    var taxMinor: Int64
    var totalMinor: Int64
    var amountPaidMinor: Int64
    var periodStart: Date
    var periodEnd: Date
    var issuedAt: Date?
    var dueAt: Date?
    var paidAt: Date?
    var attemptCount: Int
    var nextAttemptAt: Date?
    var createdAt: Date
    var lines: [InvoiceLine]

    var amountDueMinor: Int64 { max(0, totalMinor - amountPaidMinor) }
    var total: Money { Money(amountMinor: totalMinor, currency: currency) }
    var amountDue: Money { Money(amountMinor: amountDueMinor, currency: currency) }

    /// `INV-000042`: sequential per organization, without gaps (taken in the issuing transaction).
    static func number(_ sequence: Int64) -> String {
        let digits = String(sequence)
        return "INV-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// The event payload describing this invoice.
    var event: InvoiceEvent {
        InvoiceEvent(
            invoiceId: id, number: number ?? "", status: status.rawValue, total: total, amountDue: amountDue,
            periodStart: periodStart, periodEnd: periodEnd, dueAt: dueAt ?? periodStart
        )
    }
}
