import ERPProtocol
import Foundation

/// Where a lead came from.
enum LeadSource: String, Sendable, Hashable, Codable, CaseIterable {
    case web, referral, event
    case coldCall = "cold_call"
    case emailCampaign = "email_campaign"
    case partner, advertising, social, other
}

/// A lead's place in qualification: new → contacted → qualified → converted, with unqualified
/// reachable from new, contacted and qualified (with a reason) and reopened to new.
enum LeadStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case new, contacted, qualified, unqualified, converted

    /// The statuses a person may move the lead to from this one (`converted` only by converting).
    var manualSuccessors: Set<LeadStatus> {
        switch self {
        case .new: [.contacted, .unqualified]
        case .contacted: [.qualified, .unqualified]
        case .qualified: [.contacted, .unqualified]
        case .unqualified: [.new]
        case .converted: []
        }
    }
}

/// Someone who may become a customer.
struct Lead: Sendable, Hashable {
    @LowercaseUUID var id: UUID
    var firstName: String
    var lastName: String
    var email: String?
    var phone: String?
    var title: String?
    var companyName: String?
    var website: String?
    var source: LeadSource
    var status: LeadStatus
    var statusReason: String?
    var ownerID: UserID?
    var scoring: LeadScoringInput
    var score: Int?
    var scorePriority: LeadPriority?
    var scoredAt: Date?
    var convertedAt: Date?
    var convertedBy: String?
    @LowercaseOptionalUUID var convertedContactID: UUID?
    @LowercaseOptionalUUID var convertedCompanyID: UUID?
    @LowercaseOptionalUUID var convertedOpportunityID: UUID?
    var description: String
    var tags: [String]
    var customFields: [String: JSONValue]
    var version: Int64
    var createdBy: String
    var createdAt: Date
    var updatedAt: Date
    var deletedAt: Date?

    var displayName: String {
        let name = [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ")
        return name.isEmpty ? (email ?? id.lowercased) : name
    }

    var event: LeadEvent {
        LeadEvent(
            leadId: id, firstName: firstName, lastName: lastName, email: email, companyName: companyName, source: source.rawValue,
            status: status.rawValue, ownerId: ownerID, score: score, version: version
        )
    }
}
