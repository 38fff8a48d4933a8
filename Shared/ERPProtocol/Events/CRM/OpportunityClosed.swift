import Foundation

/// The payload of `erp.crm.opportunity.won` and `.lost`. Inventory turns a won opportunity into a
/// sales order (lead to cash); finance and AI learn the outcome.
public struct OpportunityClosed: Codable, Sendable, Hashable {
    public var opportunityId: UUID
    public var name: String
    /// `won` or `lost`.
    public var outcome: String
    public var reason: String?
    public var amount: Money
    public var companyId: UUID?
    public var contactId: UUID?
    public var ownerId: UserID?
    public var closedAt: Date
    public var closedBy: String

    public init(
        opportunityId: UUID, name: String, outcome: String, reason: String?, amount: Money, companyId: UUID?, contactId: UUID?,
        ownerId: UserID?, closedAt: Date, closedBy: String
    ) {
        self.opportunityId = opportunityId
        self.name = name
        self.outcome = outcome
        self.reason = reason
        self.amount = amount
        self.companyId = companyId
        self.contactId = contactId
        self.ownerId = ownerId
        self.closedAt = closedAt
        self.closedBy = closedBy
    }
}
