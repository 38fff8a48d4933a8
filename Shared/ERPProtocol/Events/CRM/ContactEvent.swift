import Foundation

/// The payload of `erp.crm.contact.created`, `.updated`, `.deleted` and `.restored`: the contact
/// as it is after the change.
public struct ContactEvent: Codable, Sendable, Hashable {
    public var contactId: UUID
    public var firstName: String
    public var lastName: String
    /// Lowercase; unique among the tenant's live contacts.
    public var email: String?
    public var phone: String?
    /// The company marked primary among the contact's links, if any.
    public var primaryCompanyId: UUID?
    public var ownerId: UserID?
    public var tags: [String]
    public var version: Int64
    public var deletedAt: Date?

    public init(
        contactId: UUID, firstName: String, lastName: String, email: String?, phone: String?, primaryCompanyId: UUID?, ownerId: UserID?,
        tags: [String], version: Int64, deletedAt: Date?
    ) {
        self.contactId = contactId
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.phone = phone
        self.primaryCompanyId = primaryCompanyId
        self.ownerId = ownerId
        self.tags = tags
        self.version = version
        self.deletedAt = deletedAt
    }
}
