import ERPProtocol
import Foundation

/// The writable fields of an opportunity (stage and outcome change through their own routes;
/// a new opportunity may name its pipeline and open stage).
struct OpportunityInput: Sendable {
    var name: String?
    var amount: Money?
    var expectedCloseDate: CalendarDate?
    var companyId: UUID?
    var contactId: UUID?
    var ownerId: UserID?
    var description: String?
    var tags: [String]?
    var customFields: [String: JSONValue]?
    /// Only on create (default: the default pipeline and its first open stage).
    var pipelineId: UUID?
    var stageId: UUID?

    static let members: Set<String> = [
        "name", "amount", "expectedCloseDate", "companyId", "contactId", "ownerId", "description", "tags", "customFields", "pipelineId", "stageId",
    ]

    init() {}

    init(_ opportunity: Opportunity) {
        name = opportunity.name
        amount = opportunity.amount
        expectedCloseDate = opportunity.expectedCloseDate
        companyId = opportunity.companyID
        contactId = opportunity.contactID
        ownerId = opportunity.ownerID
        description = opportunity.description
        tags = opportunity.tags
        customFields = opportunity.customFields
    }

    func validated(into opportunity: inout Opportunity, definitions: [CustomFieldDefinition]) throws {
        var validator = FieldValidator()
        opportunity.name = validator.requiredText(name, field: "name", maximum: 200)
        if let amount = validator.money(amount, field: "amount") { opportunity.amount = amount } else { validator.add(.required("amount")) }
        opportunity.expectedCloseDate = expectedCloseDate
        opportunity.companyID = companyId
        opportunity.contactID = contactId
        opportunity.ownerID = ownerId
        validator.commonFields(into: &opportunity, description: description, tags: tags, customFields: customFields, definitions: definitions)
        try validator.check()
    }
}

extension OpportunityInput: Decodable {
    private enum CodingKeys: String, CodingKey {
        case name, amount, expectedCloseDate, companyId, contactId, ownerId, description, tags, customFields, pipelineId, stageId
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Self.members)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        amount = try container.decodeIfPresent(Money.self, forKey: .amount)
        expectedCloseDate = try container.decodeIfPresent(CalendarDate.self, forKey: .expectedCloseDate)
        companyId = try container.decodeIfPresent(UUID.self, forKey: .companyId)
        contactId = try container.decodeIfPresent(UUID.self, forKey: .contactId)
        ownerId = try container.decodeIfPresent(UserID.self, forKey: .ownerId)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        tags = try container.decodeIfPresent([String].self, forKey: .tags)
        customFields = try container.decodeIfPresent([String: JSONValue].self, forKey: .customFields)
        pipelineId = try container.decodeIfPresent(UUID.self, forKey: .pipelineId)
        stageId = try container.decodeIfPresent(UUID.self, forKey: .stageId)
    }
}

/// A PATCH of an opportunity.
struct OpportunityPatch: Decodable, Sendable {
    var name: Patch<String> = .absent
    var amount: Patch<Money> = .absent
    var expectedCloseDate: Patch<CalendarDate> = .absent
    var companyId: Patch<UUID> = .absent
    var contactId: Patch<UUID> = .absent
    var ownerId: Patch<UserID> = .absent
    var description: Patch<String> = .absent
    var tags: Patch<[String]> = .absent
    var customFields: Patch<[String: JSONValue]> = .absent

    private enum CodingKeys: String, CodingKey {
        case name, amount, expectedCloseDate, companyId, contactId, ownerId, description, tags, customFields
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(OpportunityInput.members.subtracting(["pipelineId", "stageId"]))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.patch(String.self, forKey: .name)
        amount = try container.patch(Money.self, forKey: .amount)
        expectedCloseDate = try container.patch(CalendarDate.self, forKey: .expectedCloseDate)
        companyId = try container.patch(UUID.self, forKey: .companyId)
        contactId = try container.patch(UUID.self, forKey: .contactId)
        ownerId = try container.patch(UserID.self, forKey: .ownerId)
        description = try container.patch(String.self, forKey: .description)
        tags = try container.patch([String].self, forKey: .tags)
        customFields = try container.patch([String: JSONValue].self, forKey: .customFields)
    }

    func applied(to base: OpportunityInput) -> OpportunityInput {
        var input = base
        input.name = name.applied(to: base.name)
        input.amount = amount.applied(to: base.amount)
        input.expectedCloseDate = expectedCloseDate.applied(to: base.expectedCloseDate)
        input.companyId = companyId.applied(to: base.companyId)
        input.contactId = contactId.applied(to: base.contactId)
        input.ownerId = ownerId.applied(to: base.ownerId)
        input.description = description.applied(to: base.description)
        input.tags = tags.applied(to: base.tags)
        input.customFields = customFields.mergedCustomFields(into: base.customFields)
        return input
    }

    var changedMembers: [String] {
        let members: [(String, Bool)] = [
            ("name", name.isPresent), ("amount", amount.isPresent), ("expectedCloseDate", expectedCloseDate.isPresent),
            ("companyId", companyId.isPresent), ("contactId", contactId.isPresent), ("ownerId", ownerId.isPresent),
            ("description", description.isPresent), ("tags", tags.isPresent), ("customFields", customFields.isPresent),
        ]
        return members.filter(\.1).map(\.0)
    }
}
