import ERPProtocol
import Foundation

/// The writable fields of a company as a client sends them (create: the whole record; PATCH:
/// the members present, `null` clearing). Validated into a `Company` by `validated`.
struct CompanyInput: Sendable {
    var name: String?
    var domain: String?
    var website: String?
    var industry: String?
    var employeeCount: Int?
    var annualRevenue: Money?
    var phone: String?
    var address: PostalAddress?
    var description: String?
    var ownerId: UserID?
    var tags: [String]?
    var customFields: [String: JSONValue]?

    static let members: Set<String> = [
        "name", "domain", "website", "industry", "employeeCount", "annualRevenue", "phone", "address", "description", "ownerId", "tags",
        "customFields",
    ]

    init() {}

    /// The fields of a stored company, as the base a PATCH applies to.
    init(_ company: Company) {
        name = company.name
        domain = company.domain
        website = company.website
        industry = company.industry
        employeeCount = company.employeeCount
        annualRevenue = company.annualRevenue
        phone = company.phone
        address = company.address
        description = company.description
        ownerId = company.ownerID
        tags = company.tags
        customFields = company.customFields
    }

    /// Validates every field; the domain is taken from the website when none is given.
    func validated(into company: inout Company, definitions: [CustomFieldDefinition]) throws {
        var validator = FieldValidator()
        company.name = validator.requiredText(name, field: "name", maximum: 200)
        company.website = validator.url(website, field: "website")
        company.domain = validator.domain(domain) ?? company.website.flatMap { Normalize.domain($0) }
        company.industry = validator.text(industry, field: "industry", maximum: 100)
        company.employeeCount = validator.integer(employeeCount, field: "employeeCount", range: 0...10_000_000)
        company.annualRevenue = validator.money(annualRevenue, field: "annualRevenue")
        company.phone = validator.text(phone, field: "phone", maximum: 50)
        let address = address ?? .empty
        company.address = PostalAddress(
            street: validator.text(address.street, field: "address.street", maximum: 200),
            city: validator.text(address.city, field: "address.city", maximum: 100),
            region: validator.text(address.region, field: "address.region", maximum: 100),
            postalCode: validator.text(address.postalCode, field: "address.postalCode", maximum: 20),
            country: validator.country(address.country, field: "address.country")
        )
        company.ownerID = ownerId
        validator.commonFields(into: &company, description: description, tags: tags, customFields: customFields, definitions: definitions)
        try validator.check()
    }
}

extension CompanyInput: Decodable {
    private enum CodingKeys: String, CodingKey {
        case name, domain, website, industry, employeeCount, annualRevenue, phone, address, description, ownerId, tags, customFields
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Self.members)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        domain = try container.decodeIfPresent(String.self, forKey: .domain)
        website = try container.decodeIfPresent(String.self, forKey: .website)
        industry = try container.decodeIfPresent(String.self, forKey: .industry)
        employeeCount = try container.decodeIfPresent(Int.self, forKey: .employeeCount)
        annualRevenue = try container.decodeIfPresent(Money.self, forKey: .annualRevenue)
        phone = try container.decodeIfPresent(String.self, forKey: .phone)
        address = try container.decodeIfPresent(PostalAddress.self, forKey: .address)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        ownerId = try container.decodeIfPresent(UserID.self, forKey: .ownerId)
        tags = try container.decodeIfPresent([String].self, forKey: .tags)
        customFields = try container.decodeIfPresent([String: JSONValue].self, forKey: .customFields)
    }
}

/// A PATCH of a company: members present replace the stored ones, `null` clears them;
/// `customFields` is merged key by key (a `null` value removes that key).
struct CompanyPatch: Decodable, Sendable {
    var name: Patch<String> = .absent
    var domain: Patch<String> = .absent
    var website: Patch<String> = .absent
    var industry: Patch<String> = .absent
    var employeeCount: Patch<Int> = .absent
    var annualRevenue: Patch<Money> = .absent
    var phone: Patch<String> = .absent
    var address: Patch<PostalAddress> = .absent
    var description: Patch<String> = .absent
    var ownerId: Patch<UserID> = .absent
    var tags: Patch<[String]> = .absent
    var customFields: Patch<[String: JSONValue]> = .absent

    private enum CodingKeys: String, CodingKey {
        case name, domain, website, industry, employeeCount, annualRevenue, phone, address, description, ownerId, tags, customFields
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CompanyInput.members)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.patch(String.self, forKey: .name)
        domain = try container.patch(String.self, forKey: .domain)
        website = try container.patch(String.self, forKey: .website)
        industry = try container.patch(String.self, forKey: .industry)
        employeeCount = try container.patch(Int.self, forKey: .employeeCount)
        annualRevenue = try container.patch(Money.self, forKey: .annualRevenue)
        phone = try container.patch(String.self, forKey: .phone)
        address = try container.patch(PostalAddress.self, forKey: .address)
        description = try container.patch(String.self, forKey: .description)
        ownerId = try container.patch(UserID.self, forKey: .ownerId)
        tags = try container.patch([String].self, forKey: .tags)
        customFields = try container.patch([String: JSONValue].self, forKey: .customFields)
    }

    /// `base` with this patch applied.
    func applied(to base: CompanyInput) -> CompanyInput {
        var input = base
        input.name = name.applied(to: base.name)
        input.domain = domain.applied(to: base.domain)
        input.website = website.applied(to: base.website)
        // A new website without a domain re-derives the domain from it.
        if website.isPresent, !domain.isPresent { input.domain = nil }
        input.industry = industry.applied(to: base.industry)
        input.employeeCount = employeeCount.applied(to: base.employeeCount)
        input.annualRevenue = annualRevenue.applied(to: base.annualRevenue)
        input.phone = phone.applied(to: base.phone)
        input.address = address.applied(to: base.address)
        input.description = description.applied(to: base.description)
        input.ownerId = ownerId.applied(to: base.ownerId)
        input.tags = tags.applied(to: base.tags)
        input.customFields = customFields.mergedCustomFields(into: base.customFields)
        return input
    }

    /// The names of the members present (for the timeline's "Updated …").
    var changedMembers: [String] {
        let members: [(String, Bool)] = [
            ("name", name.isPresent), ("domain", domain.isPresent), ("website", website.isPresent), ("industry", industry.isPresent),
            ("employeeCount", employeeCount.isPresent), ("annualRevenue", annualRevenue.isPresent), ("phone", phone.isPresent),
            ("address", address.isPresent), ("description", description.isPresent), ("ownerId", ownerId.isPresent), ("tags", tags.isPresent),
            ("customFields", customFields.isPresent),
        ]
        return members.filter(\.1).map(\.0)
    }
}

extension Patch where Value == [String: JSONValue] {
    /// Merge-patch of custom field values: present keys replace, `null` removes; an explicit
    /// `null` for the whole object clears every value.
    func mergedCustomFields(into current: [String: JSONValue]?) -> [String: JSONValue] {
        switch self {
        case .absent: return current ?? [:]
        case .null: return [:]
        case .value(let changes):
            var result = current ?? [:]
            for (key, value) in changes {
                if value == .null { result[key] = nil } else { result[key] = value }
            }
            return result
        }
    }
}
