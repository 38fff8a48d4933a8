import Foundation

/// The payload of `erp.crm.lead.status_changed`: one step of the lead's state machine
/// (new → contacted → qualified → unqualified | converted).
public struct LeadStatusChanged: Codable, Sendable, Hashable {
    public var leadId: UUID
    public var from: String
    public var to: String
    /// Why, when the step needs one (unqualified).
    public var reason: String?
    /// Who made the change (`sub` of their token).
    public var changedBy: String

    public init(leadId: UUID, from: String, to: String, reason: String?, changedBy: String) {
        self.leadId = leadId
        self.from = from
        self.to = to
        self.reason = reason
        self.changedBy = changedBy
    }
}
