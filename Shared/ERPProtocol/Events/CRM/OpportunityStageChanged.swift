import Foundation

/// The payload of `erp.crm.opportunity.stage_changed`: the opportunity moved between stages of
/// its pipeline (also into the won or lost stage, which additionally publishes `.won`/`.lost`).
public struct OpportunityStageChanged: Codable, Sendable, Hashable {
    public var opportunityId: UUID
    public var pipelineId: UUID
    public var fromStageId: UUID
    public var fromStageName: String
    public var toStageId: UUID
    public var toStageName: String
    /// The new stage's win probability in percent.
    public var probability: Int
    public var changedBy: String

    public init(
        opportunityId: UUID, pipelineId: UUID, fromStageId: UUID, fromStageName: String, toStageId: UUID, toStageName: String,
        probability: Int, changedBy: String
    ) {
        self.opportunityId = opportunityId
        self.pipelineId = pipelineId
        self.fromStageId = fromStageId
        self.fromStageName = fromStageName
        self.toStageId = toStageId
        self.toStageName = toStageName
        self.probability = probability
        self.changedBy = changedBy
    }
}
