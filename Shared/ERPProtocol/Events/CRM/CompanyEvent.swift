import Foundation

/// The payload of `erp.crm.company.created`, `.updated`, `.deleted` and `.restored`: the company
/// as it is after the change. Finance and AI keep their view of customers from these.
public struct CompanyEvent: Codable, Sendable, Hashable {
    public var companyId: UUID
    public var name: String
    /// Lowercase registrable domain (`acme.com`), the key duplicates are found by.
    public var domain: String?
    public var industry: String?
    public var ownerId: UserID?
    public var tags: [String]
    /// The record's version after the change (the `ETag` of the API).
    public var version: Int64
    /// Set when the company is in the trash (soft-deleted).
    public var deletedAt: Date?

    public init(companyId: UUID, name: String, domain: String?, industry: String?, ownerId: UserID?, tags: [String], version: Int64, deletedAt: Date?) {
        self.companyId = companyId
        self.name = name
        self.domain = domain
        self.industry = industry
        self.ownerId = ownerId
        self.tags = tags
        self.version = version
        self.deletedAt = deletedAt
    }
}
