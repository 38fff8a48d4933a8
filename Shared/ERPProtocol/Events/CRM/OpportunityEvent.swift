import Foundation

/// The payload of `erp.crm.opportunity.created`, `.updated` and `.deleted`: the opportunity
/// after the change.
public struct OpportunityEvent: Codable, Sendable, Hashable {
    public var opportunityId: UUID
    public var name: String
    public var pipelineId: UUID
    public var stageId: UUID
    /// The stage's win probability in percent (0–100).
    public var probability: Int
    public var amount: Money
    /// `YYYY-MM-DD`.
    public var expectedCloseDate: String?
    /// `open`, `won` or `lost`.
    public var status: String
    public var companyId: UUID?
    public var contactId: UUID?
    public var ownerId: UserID?
    public var version: Int64

    public init(
        opportunityId: UUID, name: String, pipelineId: UUID, stageId: UUID, probability: Int, amount: Money, expectedCloseDate: String?,
        status: String, companyId: UUID?, contactId: UUID?, ownerId: UserID?, version: Int64
    ) {
        self.opportunityId = opportunityId
        self.name = name
        self.pipelineId = pipelineId
        self.stageId = stageId
        self.probability = probability
        self.amount = amount
        self.expectedCloseDate = expectedCloseDate
        self.status = status
        self.companyId = companyId
        self.contactId = contactId
        self.ownerId = ownerId
        self.version = version
    }
}
