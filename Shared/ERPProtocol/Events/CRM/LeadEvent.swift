import Foundation

/// The payload of `erp.crm.lead.created`, `.updated` and `.deleted`: the lead after the change.
public struct LeadEvent: Codable, Sendable, Hashable {
    public var leadId: UUID
    public var firstName: String
    public var lastName: String
    public var email: String?
    public var companyName: String?
    /// `web`, `referral`, `event`, `cold_call`, `email_campaign`, `partner`, `advertising`, `social`, `other`.
    public var source: String
    /// `new`, `contacted`, `qualified`, `unqualified`, `converted`.
    public var status: String
    public var ownerId: UserID?
    /// The current score (0–100), nil before the first scoring.
    public var score: Int?
    public var version: Int64

    public init(
        leadId: UUID, firstName: String, lastName: String, email: String?, companyName: String?, source: String, status: String,
        ownerId: UserID?, score: Int?, version: Int64
    ) {
        self.leadId = leadId
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.companyName = companyName
        self.source = source
        self.status = status
        self.ownerId = ownerId
        self.score = score
        self.version = version
    }
}
