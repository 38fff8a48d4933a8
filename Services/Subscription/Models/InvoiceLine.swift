import ERPProtocol
import Foundation

/// One line of an invoice.
struct InvoiceLine: Codable, Sendable, Hashable {
    enum Kind: String, Codable, Sendable {
        case plan
        case proration
        case overage
    }

    var kind: Kind
    var description: String
    var quantity: Int64
    var unitAmountMinor: Int64
    var amountMinor: Int64
    var metric: String?
    var periodStart: Date
    var periodEnd: Date
}
