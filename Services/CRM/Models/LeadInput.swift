import ERPProtocol
import Foundation

/// The writable fields of a lead (status, owner and conversion change through their own routes,
/// except that a new lead may name its owner).
struct LeadInput: Sendable {
    var firstName: String?
    var lastName: String?
    var email: String?
    var phone: String?
    var title: String?
    var companyName: String?
    var website: String?
    var source: LeadSource?
    var budget: Money?
    var purchaseTimeline: PurchaseTimeline?
    var technicalComplexity: TechnicalComplexity?
    var decisionRole: DecisionRole?
    var industry: String?
    var description: String?
    var tags: [String]?
    var customFields: [String: JSONValue]?
    /// Only on create; without it the round-robin rotation (if it has members) or the creator owns the lead.
    var ownerId: UserID?

    static let members: Set<String> = [
        "firstName", "lastName", "email", "phone", "title", "companyName", "website", "source", "budget", "purchaseTimeline",
        "technicalComplexity", "decisionRole", "industry", "description", "tags", "customFields", "ownerId",
    ]

    init() {}

    init(_ lead: Lead) {
        firstName = lead.firstName
        lastName = lead.lastName
        email = lead.email
        phone = lead.phone
        title = lead.title
        companyName = lead.companyName
        website = lead.website
        source = lead.source
        budget = lead.scoring.budget
        purchaseTimeline = lead.scoring.purchaseTimeline
        technicalComplexity = lead.scoring.technicalComplexity
        decisionRole = lead.scoring.decisionRole
        industry = lead.scoring.industry
        description = lead.description
        tags = lead.tags
        customFields = lead.customFields
    }

    func validated(into lead: inout Lead, definitions: [CustomFieldDefinition]) throws {
        var validator = FieldValidator()
        (lead.firstName, lead.lastName, lead.email) = validator.person(firstName: firstName, lastName: lastName, email: email)
        lead.phone = validator.text(phone, field: "phone", maximum: 50)
        lead.title = validator.text(title, field: "title", maximum: 100)
        lead.companyName = validator.text(companyName, field: "companyName", maximum: 200)
        lead.website = validator.url(website, field: "website")
        if let source { lead.source = source } else { validator.add(.required("source")) }
        lead.scoring = LeadScoringInput(
            budget: validator.money(budget, field: "budget"), purchaseTimeline: purchaseTimeline ?? .unknown,
            technicalComplexity: technicalComplexity ?? .unknown, decisionRole: decisionRole ?? .unknown,
            industry: validator.text(industry, field: "industry", maximum: 100)
        )
        validator.commonFields(into: &lead, description: description, tags: tags, customFields: customFields, definitions: definitions)
        try validator.check()
    }
}

extension LeadInput: Decodable {
    private enum CodingKeys: String, CodingKey {
        case firstName, lastName, email, phone, title, companyName, website, source, budget, purchaseTimeline, technicalComplexity
        case decisionRole, industry, description, tags, customFields, ownerId
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Self.members)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        firstName = try container.decodeIfPresent(String.self, forKey: .firstName)
        lastName = try container.decodeIfPresent(String.self, forKey: .lastName)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        phone = try container.decodeIfPresent(String.self, forKey: .phone)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        companyName = try container.decodeIfPresent(String.self, forKey: .companyName)
        website = try container.decodeIfPresent(String.self, forKey: .website)
        source = try container.decodeIfPresent(LeadSource.self, forKey: .source)
        budget = try container.decodeIfPresent(Money.self, forKey: .budget)
        purchaseTimeline = try container.decodeIfPresent(PurchaseTimeline.self, forKey: .purchaseTimeline)
        technicalComplexity = try container.decodeIfPresent(TechnicalComplexity.self, forKey: .technicalComplexity)
        decisionRole = try container.decodeIfPresent(DecisionRole.self, forKey: .decisionRole)
        industry = try container.decodeIfPresent(String.self, forKey: .industry)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        tags = try container.decodeIfPresent([String].self, forKey: .tags)
        customFields = try container.decodeIfPresent([String: JSONValue].self, forKey: .customFields)
        ownerId = try container.decodeIfPresent(UserID.self, forKey: .ownerId)
    }
}

/// A PATCH of a lead.
struct LeadPatch: Decodable, Sendable {
    var firstName: Patch<String> = .absent
    var lastName: Patch<String> = .absent
    var email: Patch<String> = .absent
    var phone: Patch<String> = .absent
    var title: Patch<String> = .absent
    var companyName: Patch<String> = .absent
    var website: Patch<String> = .absent
    var source: Patch<LeadSource> = .absent
    var budget: Patch<Money> = .absent
    var purchaseTimeline: Patch<PurchaseTimeline> = .absent
    var technicalComplexity: Patch<TechnicalComplexity> = .absent
    var decisionRole: Patch<DecisionRole> = .absent
    var industry: Patch<String> = .absent
    var description: Patch<String> = .absent
    var tags: Patch<[String]> = .absent
    var customFields: Patch<[String: JSONValue]> = .absent

    private enum CodingKeys: String, CodingKey {
        case firstName, lastName, email, phone, title, companyName, website, source, budget, purchaseTimeline, technicalComplexity
        case decisionRole, industry, description, tags, customFields
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(LeadInput.members.subtracting(["ownerId"]))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        firstName = try container.patch(String.self, forKey: .firstName)
        lastName = try container.patch(String.self, forKey: .lastName)
        email = try container.patch(String.self, forKey: .email)
        phone = try container.patch(String.self, forKey: .phone)
        title = try container.patch(String.self, forKey: .title)
        companyName = try container.patch(String.self, forKey: .companyName)
        website = try container.patch(String.self, forKey: .website)
        source = try container.patch(LeadSource.self, forKey: .source)
        budget = try container.patch(Money.self, forKey: .budget)
        purchaseTimeline = try container.patch(PurchaseTimeline.self, forKey: .purchaseTimeline)
        technicalComplexity = try container.patch(TechnicalComplexity.self, forKey: .technicalComplexity)
        decisionRole = try container.patch(DecisionRole.self, forKey: .decisionRole)
        industry = try container.patch(String.self, forKey: .industry)
        description = try container.patch(String.self, forKey: .description)
        tags = try container.patch([String].self, forKey: .tags)
        customFields = try container.patch([String: JSONValue].self, forKey: .customFields)
    }

    func applied(to base: LeadInput) -> LeadInput {
        var input = base
        input.firstName = firstName.applied(to: base.firstName)
        input.lastName = lastName.applied(to: base.lastName)
        input.email = email.applied(to: base.email)
        input.phone = phone.applied(to: base.phone)
        input.title = title.applied(to: base.title)
        input.companyName = companyName.applied(to: base.companyName)
        input.website = website.applied(to: base.website)
        input.source = source.applied(to: base.source)
        input.budget = budget.applied(to: base.budget)
        input.purchaseTimeline = purchaseTimeline.applied(to: base.purchaseTimeline)
        input.technicalComplexity = technicalComplexity.applied(to: base.technicalComplexity)
        input.decisionRole = decisionRole.applied(to: base.decisionRole)
        input.industry = industry.applied(to: base.industry)
        input.description = description.applied(to: base.description)
        input.tags = tags.applied(to: base.tags)
        input.customFields = customFields.mergedCustomFields(into: base.customFields)
        return input
    }

    var changedMembers: [String] {
        let members: [(String, Bool)] = [
            ("firstName", firstName.isPresent), ("lastName", lastName.isPresent), ("email", email.isPresent), ("phone", phone.isPresent),
            ("title", title.isPresent), ("companyName", companyName.isPresent), ("website", website.isPresent), ("source", source.isPresent),
            ("budget", budget.isPresent), ("purchaseTimeline", purchaseTimeline.isPresent), ("technicalComplexity", technicalComplexity.isPresent),
            ("decisionRole", decisionRole.isPresent), ("industry", industry.isPresent), ("description", description.isPresent),
            ("tags", tags.isPresent), ("customFields", customFields.isPresent),
        ]
        return members.filter(\.1).map(\.0)
    }
}
