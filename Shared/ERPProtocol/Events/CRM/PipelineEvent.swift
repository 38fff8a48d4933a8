import Foundation

/// The payload of `erp.crm.pipeline.created` and `.updated`: the pipeline with its ordered stages.
public struct PipelineEvent: Codable, Sendable, Hashable {
    /// One stage, in pipeline order.
    public struct Stage: Codable, Sendable, Hashable {
        public var stageId: UUID
        public var name: String
        /// Win probability in percent (0–100).
        public var probability: Int
        /// `open`, `won` or `lost`.
        public var kind: String

        public init(stageId: UUID, name: String, probability: Int, kind: String) {
            self.stageId = stageId
            self.name = name
            self.probability = probability
            self.kind = kind
        }
    }

    public var pipelineId: UUID
    public var name: String
    public var isDefault: Bool
    public var stages: [Stage]
    public var version: Int64

    public init(pipelineId: UUID, name: String, isDefault: Bool, stages: [Stage], version: Int64) {
        self.pipelineId = pipelineId
        self.name = name
        self.isDefault = isDefault
        self.stages = stages
        self.version = version
    }
}
