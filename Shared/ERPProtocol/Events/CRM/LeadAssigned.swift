import Foundation

/// The payload of `erp.crm.lead.assigned`: a lead got an owner, chosen by a person (`manual`) or
/// by the tenant's round-robin rotation (`round_robin`). Notification tells the new owner.
public struct LeadAssigned: Codable, Sendable, Hashable {
    public var leadId: UUID
    public var ownerId: UserID
    public var previousOwnerId: UserID?
    /// `manual` or `round_robin`.
    public var method: String
    public var assignedBy: String

    public init(leadId: UUID, ownerId: UserID, previousOwnerId: UserID?, method: String, assignedBy: String) {
        self.leadId = leadId
        self.ownerId = ownerId
        self.previousOwnerId = previousOwnerId
        self.method = method
        self.assignedBy = assignedBy
    }
}
