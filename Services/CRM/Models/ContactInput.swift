import ERPProtocol
import Foundation

/// The writable fields of a contact as a client sends them (see `CompanyInput`).
struct ContactInput: Sendable {
    /// A company link given with a new contact.
    struct CompanyLinkInput: Decodable, Sendable {
        var companyId: UUID
        var role: String?
        var isPrimary: Bool?
    }

    var firstName: String?
    var lastName: String?
    var email: String?
    var phone: String?
    var title: String?
    var description: String?
    var ownerId: UserID?
    var tags: [String]?
    var customFields: [String: JSONValue]?
    /// Only on create.
    var companies: [CompanyLinkInput]?

    static let members: Set<String> = [
        "firstName", "lastName", "email", "phone", "title", "description", "ownerId", "tags", "customFields", "companies",
    ]

    init() {}

    init(_ contact: Contact) {
        firstName = contact.firstName
        lastName = contact.lastName
        email = contact.email
        phone = contact.phone
        title = contact.title
        description = contact.description
        ownerId = contact.ownerID
        tags = contact.tags
        customFields = contact.customFields
    }

    func validated(into contact: inout Contact, definitions: [CustomFieldDefinition]) throws {
        var validator = FieldValidator()
        (contact.firstName, contact.lastName, contact.email) = validator.person(firstName: firstName, lastName: lastName, email: email)
        contact.phone = validator.text(phone, field: "phone", maximum: 50)
        contact.title = validator.text(title, field: "title", maximum: 100)
        contact.ownerID = ownerId
        validator.commonFields(into: &contact, description: description, tags: tags, customFields: customFields, definitions: definitions)
        for (index, link) in (companies ?? []).enumerated() {
            _ = validator.text(link.role, field: "companies.\(index).role", maximum: 100)
        }
        if (companies ?? []).filter({ $0.isPrimary == true }).count > 1 {
            validator.add(.invalid("companies", message: "At most one company link is primary."))
        }
        if Set((companies ?? []).map(\.companyId)).count != (companies ?? []).count {
            validator.add(.invalid("companies", message: "Each company at most once."))
        }
        try validator.check()
    }
}

extension ContactInput: Decodable {
    private enum CodingKeys: String, CodingKey {
        case firstName, lastName, email, phone, title, description, ownerId, tags, customFields, companies
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Self.members)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        firstName = try container.decodeIfPresent(String.self, forKey: .firstName)
        lastName = try container.decodeIfPresent(String.self, forKey: .lastName)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        phone = try container.decodeIfPresent(String.self, forKey: .phone)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        ownerId = try container.decodeIfPresent(UserID.self, forKey: .ownerId)
        tags = try container.decodeIfPresent([String].self, forKey: .tags)
        customFields = try container.decodeIfPresent([String: JSONValue].self, forKey: .customFields)
        companies = try container.decodeIfPresent([CompanyLinkInput].self, forKey: .companies)
    }
}

/// A PATCH of a contact (company links change through their own routes).
struct ContactPatch: Decodable, Sendable {
    var firstName: Patch<String> = .absent
    var lastName: Patch<String> = .absent
    var email: Patch<String> = .absent
    var phone: Patch<String> = .absent
    var title: Patch<String> = .absent
    var description: Patch<String> = .absent
    var ownerId: Patch<UserID> = .absent
    var tags: Patch<[String]> = .absent
    var customFields: Patch<[String: JSONValue]> = .absent

    private enum CodingKeys: String, CodingKey {
        case firstName, lastName, email, phone, title, description, ownerId, tags, customFields
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(ContactInput.members.subtracting(["companies"]))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        firstName = try container.patch(String.self, forKey: .firstName)
        lastName = try container.patch(String.self, forKey: .lastName)
        email = try container.patch(String.self, forKey: .email)
        phone = try container.patch(String.self, forKey: .phone)
        title = try container.patch(String.self, forKey: .title)
        description = try container.patch(String.self, forKey: .description)
        ownerId = try container.patch(UserID.self, forKey: .ownerId)
        tags = try container.patch([String].self, forKey: .tags)
        customFields = try container.patch([String: JSONValue].self, forKey: .customFields)
    }

    func applied(to base: ContactInput) -> ContactInput {
        var input = base
        input.firstName = firstName.applied(to: base.firstName)
        input.lastName = lastName.applied(to: base.lastName)
        input.email = email.applied(to: base.email)
        input.phone = phone.applied(to: base.phone)
        input.title = title.applied(to: base.title)
        input.description = description.applied(to: base.description)
        input.ownerId = ownerId.applied(to: base.ownerId)
        input.tags = tags.applied(to: base.tags)
        input.customFields = customFields.mergedCustomFields(into: base.customFields)
        return input
    }

    var changedMembers: [String] {
        let members: [(String, Bool)] = [
            ("firstName", firstName.isPresent), ("lastName", lastName.isPresent), ("email", email.isPresent), ("phone", phone.isPresent),
            ("title", title.isPresent), ("description", description.isPresent), ("ownerId", ownerId.isPresent), ("tags", tags.isPresent),
            ("customFields", customFields.isPresent),
        ]
        return members.filter(\.1).map(\.0)
    }
}
