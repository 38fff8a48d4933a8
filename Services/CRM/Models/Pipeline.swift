import ERPProtocol
import Foundation

/// A sales pipeline: ordered stages an opportunity moves through, ending in one won and one lost stage.
struct Pipeline: Sendable, Hashable {
    @LowercaseUUID var id: UUID
    var name: String
    var isDefault: Bool
    /// Current stages in order (archived ones are left out).
    var stages: [PipelineStage]
    var version: Int64
    var createdAt: Date
    var updatedAt: Date

    var wonStage: PipelineStage? { stages.first { $0.kind == .won } }
    var lostStage: PipelineStage? { stages.first { $0.kind == .lost } }
    var firstOpenStage: PipelineStage? { stages.first { $0.kind == .open } }

    func stage(_ id: UUID) -> PipelineStage? { stages.first { $0.id == id } }

    var event: PipelineEvent {
        PipelineEvent(
            pipelineId: id, name: name, isDefault: isDefault,
            stages: stages.map { .init(stageId: $0.id, name: $0.name, probability: $0.probability, kind: $0.kind.rawValue) }, version: version
        )
    }

    /// The stages every tenant starts with.
    static func defaultStages() -> [PipelineStage] {
        [
            ("Prospecting", 10, StageKind.open), ("Qualification", 25, .open), ("Proposal", 50, .open), ("Negotiation", 75, .open),
            ("Closed won", 100, .won), ("Closed lost", 0, .lost),
        ].enumerated().map { index, stage in
            PipelineStage(id: UUID(), name: stage.0, position: index, probability: stage.1, kind: stage.2)
        }
    }
}

/// Whether a stage is still open or closes the opportunity.
enum StageKind: String, Sendable, Hashable, Codable {
    case open, won, lost
}

/// One stage of a pipeline with its win probability in percent.
struct PipelineStage: Sendable, Hashable {
    @LowercaseUUID var id: UUID
    var name: String
    var position: Int
    var probability: Int
    var kind: StageKind
}
