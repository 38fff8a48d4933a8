import ERPPostgres
import ERPProtocol
import Foundation

/// Pipelines and their stages of the tenant of the caller's transaction.
struct PipelineRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// Every pipeline with its current stages, the default first, then by name.
    func all() async throws -> [Pipeline] {
        let pipelines = try await connection.query(
            "SELECT id, name, is_default, version, created_at, updated_at FROM pipelines ORDER BY is_default DESC, lower(name), id"
        ).map(Self.decode)
        let stages = try await stagesByPipeline(nil)
        return pipelines.map { pipeline in
            var pipeline = pipeline
            pipeline.stages = stages[pipeline.id] ?? []
            return pipeline
        }
    }

    func find(_ id: UUID, forUpdate: Bool = false) async throws -> Pipeline? {
        let rows = forUpdate
            ? try await connection.query("SELECT id, name, is_default, version, created_at, updated_at FROM pipelines WHERE id = \(id) FOR UPDATE")
            : try await connection.query("SELECT id, name, is_default, version, created_at, updated_at FROM pipelines WHERE id = \(id)")
        guard var pipeline = try rows.first.map(Self.decode) else { return nil }
        pipeline.stages = try await stagesByPipeline(id)[id] ?? []
        return pipeline
    }

    func defaultPipeline() async throws -> Pipeline? {
        guard let id = try await connection.query("SELECT id FROM pipelines WHERE is_default").first?.decode(UUID.self, at: 0) else { return nil }
        return try await find(id)
    }

    /// Every stage ever defined, archived ones included (history and analytics name them).
    func allStages() async throws -> [UUID: (pipeline: UUID, stage: PipelineStage, archived: Bool)] {
        var result: [UUID: (UUID, PipelineStage, Bool)] = [:]
        for row in try await connection.query("SELECT id, pipeline_id, name, position, probability, kind, archived FROM pipeline_stages") {
            let stage = try Self.decodeStage(row)
            result[stage.id] = (try row.decode(UUID.self, named: "pipeline_id"), stage, try row.decode(Bool.self, named: "archived"))
        }
        return result
    }

    /// Seeds the default pipeline the first time a tenant needs one. The tenant_settings row
    /// makes it happen once even when two requests race (the second waits for the first's row).
    func ensureDefault(tenant: TenantID, now: Date) async throws -> Pipeline? {
        let seeded = try await connection.query("SELECT default_pipeline_seeded_at FROM tenant_settings").first?.decode(Date?.self, at: 0)
        guard seeded == nil else { return nil }
        let claimed = try await connection.query(
            """
            INSERT INTO tenant_settings (tenant_id, default_pipeline_seeded_at) VALUES (\(tenant.uuid), \(now))
            ON CONFLICT (tenant_id) DO UPDATE SET default_pipeline_seeded_at = EXCLUDED.default_pipeline_seeded_at
                WHERE tenant_settings.default_pipeline_seeded_at IS NULL
            RETURNING tenant_id
            """
        )
        guard !claimed.isEmpty else { return nil }
        let hasDefault = try await connection.query("SELECT 1 FROM pipelines WHERE is_default").first != nil
        let pipeline = Pipeline(
            id: UUID(), name: "Sales", isDefault: !hasDefault, stages: Pipeline.defaultStages(), version: 1, createdAt: now, updatedAt: now
        )
        guard try await insert(pipeline, tenant: tenant) else { return nil }
        return pipeline
    }

    /// Adds the pipeline and its stages; false when the name is taken.
    func insert(_ pipeline: Pipeline, tenant: TenantID) async throws -> Bool {
        let inserted = try await connection.execute(
            """
            INSERT INTO pipelines (tenant_id, id, name, is_default, version, created_at, updated_at)
            SELECT \(tenant.uuid), \(pipeline.id), \(pipeline.name), \(pipeline.isDefault), \(pipeline.version), \(pipeline.createdAt), \(pipeline.updatedAt)
            WHERE NOT EXISTS (SELECT 1 FROM pipelines WHERE lower(name) = lower(\(pipeline.name)))
            """
        )
        guard inserted == 1 else { return false }
        for stage in pipeline.stages { try await insertStage(stage, pipeline: pipeline.id, tenant: tenant) }
        return true
    }

    func insertStage(_ stage: PipelineStage, pipeline: UUID, tenant: TenantID) async throws {
        try await connection.execute(
            """
            INSERT INTO pipeline_stages (tenant_id, id, pipeline_id, name, position, probability, kind)
            VALUES (\(tenant.uuid), \(stage.id), \(pipeline), \(stage.name), \(stage.position), \(stage.probability), \(stage.kind.rawValue))
            """
        )
    }

    func updateStage(_ stage: PipelineStage) async throws {
        try await connection.execute(
            """
            UPDATE pipeline_stages SET name = \(stage.name), position = \(stage.position), probability = \(stage.probability),
                kind = \(stage.kind.rawValue), archived = false
            WHERE id = \(stage.id)
            """
        )
    }

    func archiveStage(_ id: UUID) async throws {
        try await connection.execute("UPDATE pipeline_stages SET archived = true, position = position + 100000 WHERE id = \(id)")
    }

    /// Name, default flag and version, if the stored version is `expectedVersion`.
    func update(_ pipeline: Pipeline, expectedVersion: Int64) async throws -> Bool {
        if pipeline.isDefault {
            try await connection.execute("UPDATE pipelines SET is_default = false WHERE is_default AND id <> \(pipeline.id)")
        }
        return try await connection.execute(
            """
            UPDATE pipelines SET name = \(pipeline.name), is_default = \(pipeline.isDefault), version = \(pipeline.version),
                updated_at = \(pipeline.updatedAt)
            WHERE id = \(pipeline.id) AND version = \(expectedVersion)
            """
        ) == 1
    }

    func delete(_ id: UUID) async throws {
        try await connection.execute("DELETE FROM pipelines WHERE id = \(id)")
    }

    /// Opportunities (deleted ones too: they keep their stage) in each of `stages`.
    func opportunityCounts(stages: [UUID]) async throws -> [UUID: Int] {
        guard !stages.isEmpty else { return [:] }
        var counts: [UUID: Int] = [:]
        for row in try await connection.query("SELECT stage_id, count(*) FROM opportunities WHERE stage_id = ANY(\(stages)) GROUP BY stage_id") {
            counts[try row.decode(UUID.self, at: 0)] = try row.decode(Int.self, at: 1)
        }
        return counts
    }

    func hasOpportunities(pipeline: UUID) async throws -> Bool {
        try await connection.query("SELECT 1 FROM opportunities WHERE pipeline_id = \(pipeline) LIMIT 1").first != nil
    }

    private func stagesByPipeline(_ pipeline: UUID?) async throws -> [UUID: [PipelineStage]] {
        var result: [UUID: [PipelineStage]] = [:]
        for row in try await connection.query(
            """
            SELECT id, pipeline_id, name, position, probability, kind FROM pipeline_stages
            WHERE NOT archived AND (\(pipeline)::uuid IS NULL OR pipeline_id = \(pipeline))
            ORDER BY pipeline_id, position
            """
        ) {
            result[try row.decode(UUID.self, named: "pipeline_id"), default: []].append(try Self.decodeStage(row))
        }
        return result
    }

    static func decode(_ row: PostgresRow) throws -> Pipeline {
        Pipeline(
            id: try row.decode(UUID.self, named: "id"), name: try row.decode(String.self, named: "name"),
            isDefault: try row.decode(Bool.self, named: "is_default"), stages: [], version: try row.decode(Int64.self, named: "version"),
            createdAt: try row.decode(Date.self, named: "created_at"), updatedAt: try row.decode(Date.self, named: "updated_at")
        )
    }

    static func decodeStage(_ row: PostgresRow) throws -> PipelineStage {
        PipelineStage(
            id: try row.decode(UUID.self, named: "id"), name: try row.decode(String.self, named: "name"),
            position: try row.decode(Int.self, named: "position"), probability: try row.decode(Int.self, named: "probability"),
            kind: StageKind(rawValue: try row.decode(String.self, named: "kind")) ?? .open
        )
    }
}
