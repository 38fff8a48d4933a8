import Foundation

/// The payload of `erp.finance.invoice.paid`: a customer invoice of the finance service was paid
/// in full. Kept minimal until erp-finance lands; CRM shows it on the company's timeline.
///
/// `crmCompanyId` links finance's customer to the CRM company it was created from (finance
/// learns it from `erp.crm.company.created`/`.updated` or from the won opportunity); it is
/// absent for customers that exist only in finance.
public struct FinanceInvoicePaid: Codable, Sendable, Hashable {
    public var invoiceId: UUID
    /// The human invoice number, e.g. `INV-2026-0042`.
    public var number: String
    /// Finance's own customer id.
    public var customerId: UUID
    public var crmCompanyId: UUID?
    /// The amount paid (the invoice total).
    public var amount: Money
    public var paidAt: Date

    public init(invoiceId: UUID, number: String, customerId: UUID, crmCompanyId: UUID?, amount: Money, paidAt: Date) {
        self.invoiceId = invoiceId
        self.number = number
        self.customerId = customerId
        self.crmCompanyId = crmCompanyId
        self.amount = amount
        self.paidAt = paidAt
    }
}
