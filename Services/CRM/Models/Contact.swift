import ERPProtocol
import Foundation

/// A person at one or more companies.
struct Contact: Sendable, Hashable {
    var id: UUID
    var firstName: String
    var lastName: String
    /// Lowercase; duplicates are found by it.
    var email: String?
    var phone: String?
    var title: String?
    var description: String
    var ownerID: UserID?
    var tags: [String]
    var customFields: [String: JSONValue]
    var version: Int64
    var createdBy: String
    var createdAt: Date
    var updatedAt: Date
    var deletedAt: Date?
    var mergedInto: UUID?
    /// The companies the contact is linked to (filled by the repository where needed).
    var companies: [ContactLink] = []

    var fullName: String {
        [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// A name for lists and timelines: the full name, else the email.
    var displayName: String {
        fullName.isEmpty ? (email ?? id.lowercased) : fullName
    }

    var event: ContactEvent {
        ContactEvent(
            contactId: id, firstName: firstName, lastName: lastName, email: email, phone: phone,
            primaryCompanyId: companies.first(where: \.isPrimary)?.companyID, ownerId: ownerID, tags: tags, version: version, deletedAt: deletedAt
        )
    }
}

/// A contact's link to a company, with the contact's role there.
struct ContactLink: Sendable, Hashable {
    var contactID: UUID
    var companyID: UUID
    var companyName: String
    var contactName: String
    var role: String
    var isPrimary: Bool
    var createdAt: Date
}
