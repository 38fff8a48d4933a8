import Foundation

/// What the CRM knows about one company as a customer, in one currency, as of `asOf`: its won
/// deals, recent losses, activities, overdue tasks and paid invoices (docs/crm.md, "Customer
/// value and churn signals", defines each). Read by `CustomerInsightRepository`; the value
/// prediction and the churn signals are computed from it alone.
struct CustomerFacts: Sendable, Hashable {
    var companyID: UUID
    var companyName: String
    var ownerID: UUID?
    /// Live won opportunities of the company in the currency.
    var wonCount: Int
    var wonValueMinor: Int64
    var firstWonAt: Date?
    var lastWonAt: Date?
    /// Σ won amount closed in [asOf − 365 days, asOf) and in [asOf − 730 days, asOf − 365 days).
    var wonLastYearMinor: Int64
    var wonYearBeforeMinor: Int64
    /// Live opportunities of the company (any currency) lost in [asOf − 90 days, asOf].
    var recentLosses: Int
    /// The latest call, email, meeting or note (by `occurredAt`, not after `asOf`) or completed task
    /// (by `doneAt`) on the company, its live linked contacts or its live opportunities.
    var lastActivityAt: Date?
    /// Open tasks due before `asOf` on the company, its live linked contacts or its live opportunities.
    var overdueTasks: Int
    /// The latest `erp.finance.invoice.paid` entry on the company's timeline.
    var lastPaidInvoiceAt: Date?
}
