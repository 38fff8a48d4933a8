import ERPProtocol
import Foundation
import Hummingbird

/// A lead as the API returns it.
struct LeadResponse: ResponseCodable, Sendable {
    struct Conversion: Codable, Sendable {
        var convertedAt: Date
        var convertedBy: String?
        @LowercaseOptionalUUID var contactId: UUID?
        @LowercaseOptionalUUID var companyId: UUID?
        @LowercaseOptionalUUID var opportunityId: UUID?
    }

    @LowercaseUUID var id: UUID
    var firstName: String
    var lastName: String
    var email: String?
    var phone: String?
    var title: String?
    var companyName: String?
    var website: String?
    var source: LeadSource
    var status: LeadStatus
    var statusReason: String?
    var ownerId: UserID?
    var budget: Money?
    var purchaseTimeline: PurchaseTimeline
    var technicalComplexity: TechnicalComplexity
    var decisionRole: DecisionRole
    var industry: String?
    var score: Int?
    var priority: LeadPriority?
    var scoredAt: Date?
    var conversion: Conversion?
    var description: String
    var tags: [String]
    var customFields: [String: JSONValue]
    var version: Int64
    var createdBy: String
    var createdAt: Date
    var updatedAt: Date
    var deletedAt: Date?

    init(_ lead: Lead) {
        id = lead.id
        firstName = lead.firstName
        lastName = lead.lastName
        email = lead.email
        phone = lead.phone
        title = lead.title
        companyName = lead.companyName
        website = lead.website
        source = lead.source
        status = lead.status
        statusReason = lead.statusReason
        ownerId = lead.ownerID
        budget = lead.scoring.budget
        purchaseTimeline = lead.scoring.purchaseTimeline
        technicalComplexity = lead.scoring.technicalComplexity
        decisionRole = lead.scoring.decisionRole
        industry = lead.scoring.industry
        score = lead.score
        priority = lead.scorePriority
        scoredAt = lead.scoredAt
        conversion = lead.convertedAt.map {
            Conversion(
                convertedAt: $0, convertedBy: lead.convertedBy, contactId: lead.convertedContactID, companyId: lead.convertedCompanyID,
                opportunityId: lead.convertedOpportunityID)
        }
        description = lead.description
        tags = lead.tags
        customFields = lead.customFields
        version = lead.version
        createdBy = lead.createdBy
        createdAt = lead.createdAt
        updatedAt = lead.updatedAt
        deletedAt = lead.deletedAt
    }
}

/// A stored lead score.
struct LeadScoreResponse: ResponseCodable, Sendable {
    @LowercaseUUID var id: UUID
    @LowercaseUUID var leadId: UUID
    var score: Int
    var priority: LeadPriority
    var criteria: [ScoreCriterion]
    var recommendedAction: String
    var scorer: String
    var inputs: LeadScoringInput
    var computedBy: String
    var computedAt: Date

    init(_ entry: LeadScoreRepository.Entry) {
        id = entry.id
        leadId = entry.leadID
        score = entry.score.total
        priority = entry.score.priority
        criteria = entry.score.criteria
        recommendedAction = entry.score.recommendedAction
        scorer = entry.score.scorer
        inputs = entry.inputs
        computedBy = entry.computedBy
        computedAt = entry.computedAt
    }
}

/// A pipeline with its stages.
struct PipelineResponse: ResponseCodable, Sendable {
    struct Stage: Codable, Sendable {
        @LowercaseUUID var id: UUID
        var name: String
        var position: Int
        var probability: Int
        var kind: StageKind
    }

    @LowercaseUUID var id: UUID
    var name: String
    var isDefault: Bool
    var stages: [Stage]
    var version: Int64
    var createdAt: Date
    var updatedAt: Date

    init(_ pipeline: Pipeline) {
        id = pipeline.id
        name = pipeline.name
        isDefault = pipeline.isDefault
        stages = pipeline.stages.map { Stage(id: $0.id, name: $0.name, position: $0.position, probability: $0.probability, kind: $0.kind) }
        version = pipeline.version
        createdAt = pipeline.createdAt
        updatedAt = pipeline.updatedAt
    }
}

/// An opportunity as the API returns it.
struct OpportunityResponse: ResponseCodable, Sendable {
    @LowercaseUUID var id: UUID
    var name: String
    @LowercaseUUID var pipelineId: UUID
    @LowercaseUUID var stageId: UUID
    var stageName: String?
    var probability: Int?
    var amount: Money
    var expectedCloseDate: CalendarDate?
    var status: OpportunityStatus
    var closeReason: String?
    var closedAt: Date?
    var stageEnteredAt: Date
    @LowercaseOptionalUUID var companyId: UUID?
    @LowercaseOptionalUUID var contactId: UUID?
    @LowercaseOptionalUUID var leadId: UUID?
    var ownerId: UserID?
    var description: String
    var tags: [String]
    var customFields: [String: JSONValue]
    var version: Int64
    var createdBy: String
    var createdAt: Date
    var updatedAt: Date
    var deletedAt: Date?

    init(_ opportunity: Opportunity, stage: PipelineStage?) {
        id = opportunity.id
        name = opportunity.name
        pipelineId = opportunity.pipelineID
        stageId = opportunity.stageID
        stageName = stage?.name
        probability = stage?.probability
        amount = opportunity.amount
        expectedCloseDate = opportunity.expectedCloseDate
        status = opportunity.status
        closeReason = opportunity.closeReason
        closedAt = opportunity.closedAt
        stageEnteredAt = opportunity.stageEnteredAt
        companyId = opportunity.companyID
        contactId = opportunity.contactID
        leadId = opportunity.leadID
        ownerId = opportunity.ownerID
        description = opportunity.description
        tags = opportunity.tags
        customFields = opportunity.customFields
        version = opportunity.version
        createdBy = opportunity.createdBy
        createdAt = opportunity.createdAt
        updatedAt = opportunity.updatedAt
        deletedAt = opportunity.deletedAt
    }
}

/// One entry of an opportunity's stage history.
struct StageChangeResponse: Codable, Sendable {
    @LowercaseUUID var id: UUID
    @LowercaseOptionalUUID var fromStageId: UUID?
    var fromStageName: String?
    @LowercaseUUID var toStageId: UUID
    var toStageName: String?
    var changedBy: String
    var changedAt: Date
    /// Seconds spent in `toStage` (until the next change, or until now for the current stage).
    var durationSeconds: Int64
}
