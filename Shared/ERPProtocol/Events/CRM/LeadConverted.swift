import Foundation

/// The payload of `erp.crm.lead.converted`: the lead became a contact, a company (both new or
/// existing ones) and an opportunity, all in one transaction.
public struct LeadConverted: Codable, Sendable, Hashable {
    public var leadId: UUID
    public var contactId: UUID
    public var companyId: UUID?
    public var opportunityId: UUID
    public var convertedBy: String

    public init(leadId: UUID, contactId: UUID, companyId: UUID?, opportunityId: UUID, convertedBy: String) {
        self.leadId = leadId
        self.contactId = contactId
        self.companyId = companyId
        self.opportunityId = opportunityId
        self.convertedBy = convertedBy
    }
}
