import ERPPostgres
import ERPProtocol
import Foundation

/// Pipeline writes: create, rename, make default, replace the stage list, delete.
struct PipelineWorkflow {
    let tx: CRMTransaction

    init(_ tx: CRMTransaction) { self.tx = tx }

    private var pipelines: PipelineRepository { PipelineRepository(tx.connection) }

    /// Every pipeline; seeds the default one on first use.
    func all() async throws -> [Pipeline] {
        try await ensureDefault()
        return try await pipelines.all()
    }

    /// Seeds the tenant's default pipeline if it never had one (publishes `pipeline.created`).
    func ensureDefault() async throws {
        if let seeded = try await pipelines.ensureDefault(tenant: tx.tenant, now: tx.now) {
            try await tx.publish(EventType.CRM.pipelineCreated, subject: seeded.id, seeded.event)
        }
    }

    /// The pipeline with `id`, or the default one (seeded if needed).
    func resolve(_ id: UUID?, field: String = "pipelineId") async throws -> Pipeline {
        if let id {
            guard let pipeline = try await pipelines.find(id) else { throw ProblemDetails.validation([.invalid(field, message: "No such pipeline.")]) }
            return pipeline
        }
        try await ensureDefault()
        guard let pipeline = try await pipelines.defaultPipeline() else { throw ProblemDetails.validation([.required(field)]) }
        return pipeline
    }

    func create(_ input: PipelineInput) async throws -> Pipeline {
        var validator = FieldValidator()
        let name = validator.requiredText(input.name, field: "name", maximum: 100)
        try validator.check()
        try await ensureDefault()
        let stages = try PipelineInput.validatedStages(input.stages ?? [], existing: [])
        let pipeline = Pipeline(id: UUID(), name: name, isDefault: false, stages: stages, version: 1, createdAt: tx.now, updatedAt: tx.now)
        guard try await pipelines.insert(pipeline, tenant: tx.tenant) else {
            throw ProblemDetails.validation([.alreadyTaken("name", message: "A pipeline with this name exists.")])
        }
        var result = pipeline
        if input.isDefault == true {
            result.isDefault = true
            result.version += 1
            _ = try await pipelines.update(result, expectedVersion: pipeline.version)
        }
        try await tx.publish(EventType.CRM.pipelineCreated, subject: result.id, result.event)
        return result
    }

    /// Renames, makes default and/or replaces the stages; a removed stage that still holds
    /// opportunities is refused, others are archived (history keeps naming them).
    func update(_ id: UUID, input: PipelineInput, expectedVersion: Int64) async throws -> Pipeline {
        guard var pipeline = try await pipelines.find(id, forUpdate: true) else { throw ProblemDetails.notFound() }
        guard pipeline.version == expectedVersion else { throw CRMError.versionMismatch }
        var validator = FieldValidator()
        if let name = input.name { pipeline.name = validator.requiredText(name, field: "name", maximum: 100) }
        try validator.check()
        if input.isDefault == false, pipeline.isDefault { throw CRMError.defaultPipelineRequired }
        if input.isDefault == true { pipeline.isDefault = true }
        if let stageInputs = input.stages {
            let stages = try PipelineInput.validatedStages(stageInputs, existing: pipeline.stages)
            let removed = pipeline.stages.filter { old in !stages.contains { $0.id == old.id } }
            let counts = try await pipelines.opportunityCounts(stages: removed.map(\.id))
            let inUse = counts.values.reduce(0, +)
            if inUse > 0 { throw CRMError.stageInUse(inUse) }
            for stage in removed { try await pipelines.archiveStage(stage.id) }
            for stage in stages {
                if pipeline.stages.contains(where: { $0.id == stage.id }) {
                    try await pipelines.updateStage(stage)
                } else {
                    try await pipelines.insertStage(stage, pipeline: id, tenant: tx.tenant)
                }
            }
            pipeline.stages = stages
        }
        pipeline.version += 1
        pipeline.updatedAt = tx.now
        do {
            guard try await pipelines.update(pipeline, expectedVersion: expectedVersion) else { throw CRMError.versionMismatch }
        } catch let error as PostgresError where error.code == .uniqueViolation && error.constraint == "pipelines_name" {
            throw ProblemDetails.validation([.alreadyTaken("name", message: "A pipeline with this name exists.")])
        }
        try await tx.publish(EventType.CRM.pipelineUpdated, subject: id, pipeline.event)
        return pipeline
    }

    func delete(_ id: UUID) async throws {
        guard let pipeline = try await pipelines.find(id, forUpdate: true) else { throw ProblemDetails.notFound() }
        if pipeline.isDefault { throw CRMError.defaultPipelineRequired }
        if try await pipelines.hasOpportunities(pipeline: id) { throw CRMError.pipelineInUse }
        try await pipelines.delete(id)
        try await tx.publish(EventType.CRM.pipelineDeleted, subject: id, pipeline.event)
    }
}
