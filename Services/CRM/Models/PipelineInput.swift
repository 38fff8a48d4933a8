import ERPProtocol
import Foundation

/// A pipeline as a client writes it. `stages` is the whole ordered list: stages with an `id`
/// are kept (renamed, re-weighted, moved), new ones get an id, missing ones are archived.
struct PipelineInput: Decodable, Sendable {
    struct StageInput: Decodable, Sendable {
        var id: UUID?
        var name: String
        var probability: Int?
        var kind: StageKind?
    }

    var name: String?
    var isDefault: Bool?
    var stages: [StageInput]?

    /// Validates the stage list: open stages first, then exactly one won (100 %) and one lost
    /// (0 %) stage; names unique; probabilities 0–100; ids from `existing` only.
    static func validatedStages(_ inputs: [StageInput], existing: [PipelineStage]) throws -> [PipelineStage] {
        var validator = FieldValidator()
        var stages: [PipelineStage] = []
        var names = Set<String>()
        for (index, input) in inputs.enumerated() {
            let field = "stages.\(index)"
            let name = validator.requiredText(input.name, field: "\(field).name", maximum: 100)
            if !names.insert(name.lowercased()).inserted { validator.add(.invalid("\(field).name", message: "Stage names are unique in a pipeline.")) }
            let kind = input.kind ?? .open
            let probability = input.probability ?? (kind == .won ? 100 : kind == .lost ? 0 : 50)
            if !(0...100).contains(probability) { validator.add(.outOfRange("\(field).probability", message: "From 0 to 100.")) }
            if kind == .won, probability != 100 { validator.add(.invalid("\(field).probability", message: "The won stage has probability 100.")) }
            if kind == .lost, probability != 0 { validator.add(.invalid("\(field).probability", message: "The lost stage has probability 0.")) }
            if let id = input.id, !existing.contains(where: { $0.id == id }) {
                validator.add(.invalid("\(field).id", message: "Not a stage of this pipeline."))
            }
            if kind == .open, stages.contains(where: { $0.kind != .open }) {
                validator.add(.invalid("\(field).kind", message: "Open stages come before the won and lost stages."))
            }
            stages.append(PipelineStage(id: input.id ?? UUID(), name: name, position: index, probability: probability, kind: kind))
        }
        if !stages.contains(where: { $0.kind == .open }) { validator.add(.invalid("stages", message: "At least one open stage.")) }
        if stages.filter({ $0.kind == .won }).count != 1 { validator.add(.invalid("stages", message: "Exactly one won stage.")) }
        if stages.filter({ $0.kind == .lost }).count != 1 { validator.add(.invalid("stages", message: "Exactly one lost stage.")) }
        if stages.count > 30 { validator.add(.outOfRange("stages", message: "At most 30 stages.")) }
        if Set(stages.map(\.id)).count != stages.count { validator.add(.invalid("stages", message: "Each stage id at most once.")) }
        try validator.check()
        return stages
    }
}
