import ERPProtocol
import Foundation

/// Whether an opportunity is still being worked, or how it ended.
enum OpportunityStatus: String, Sendable, Hashable, Codable {
    case open, won, lost
}

/// A possible deal: an amount expected to close by a date, moving through a pipeline's stages.
struct Opportunity: Sendable, Hashable {
    @LowercaseUUID var id: UUID
    var name: String
    @LowercaseUUID var pipelineID: UUID
    @LowercaseUUID var stageID: UUID
    var amount: Money
    var expectedCloseDate: CalendarDate?
    var status: OpportunityStatus
    var closeReason: String?
    var closedAt: Date?
    var stageEnteredAt: Date
    @LowercaseOptionalUUID var companyID: UUID?
    @LowercaseOptionalUUID var contactID: UUID?
    @LowercaseOptionalUUID var leadID: UUID?
    var ownerID: UserID?
    var description: String
    var tags: [String]
    var customFields: [String: JSONValue]
    var version: Int64
    var createdBy: String
    var createdAt: Date
    var updatedAt: Date
    var deletedAt: Date?

    /// A new open opportunity in `stageID`, before its input is validated into it.
    static func draft(pipelineID: UUID, stageID: UUID, leadID: UUID?, createdBy: String, at now: Date) -> Opportunity {
        Opportunity(
            id: UUID(), name: "", pipelineID: pipelineID, stageID: stageID, amount: .zero(CurrencyCode("USD")!), expectedCloseDate: nil,
            status: .open, closeReason: nil, closedAt: nil, stageEnteredAt: now, companyID: nil, contactID: nil, leadID: leadID, ownerID: nil,
            description: "", tags: [], customFields: [:], version: 1, createdBy: createdBy, createdAt: now, updatedAt: now, deletedAt: nil
        )
    }

    func event(probability: Int) -> OpportunityEvent {
        OpportunityEvent(
            opportunityId: id, name: name, pipelineId: pipelineID, stageId: stageID, probability: probability, amount: amount,
            expectedCloseDate: expectedCloseDate?.description, status: status.rawValue, companyId: companyID, contactId: contactID,
            ownerId: ownerID, version: version
        )
    }
}

/// One stage change of an opportunity (the first has no `fromStageID`).
struct StageChange: Sendable, Hashable {
    @LowercaseUUID var id: UUID
    @LowercaseUUID var opportunityID: UUID
    @LowercaseOptionalUUID var fromStageID: UUID?
    @LowercaseUUID var toStageID: UUID
    var changedBy: String
    var changedAt: Date
}
