import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Pipelines and their ordered stages; the default pipeline is seeded on first use.
struct PipelineController {
    let dependencies: CRMDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/pipelines", use: list)
        router.post("/v1/pipelines", use: create)
        router.get("/v1/pipelines/:id", use: show)
        router.patch("/v1/pipelines/:id", use: update)
        router.delete("/v1/pipelines/:id", use: delete)
    }

    struct PipelineList: ResponseCodable, Sendable {
        var items: [PipelineResponse]
    }

    /// Seeding the default pipeline is a write, so even this read runs in a write transaction.
    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> PipelineList {
        try context.require(CRMPermission.pipelineRead)
        let pipelines = try await dependencies.write(context) { try await PipelineWorkflow($0).all() }
        return PipelineList(items: pipelines.map(PipelineResponse.init))
    }

    @Sendable func create(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<PipelineResponse> {
        try context.require(CRMPermission.pipelineManage)
        let input = try await request.decode(as: PipelineInput.self, context: context)
        let pipeline = try await dependencies.write(context) { try await PipelineWorkflow($0).create(input) }
        return EditedResponse(
            status: .created, headers: .created(pipeline.version, location: "/v1/pipelines/\(pipeline.id.lowercased)"), response: PipelineResponse(pipeline))
    }

    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<PipelineResponse> {
        let tenant = try context.require(CRMPermission.pipelineRead).tenantID
        let id = try request.uuidParameter("id", context: context)
        guard let pipeline = try await dependencies.read(tenant, { try await PipelineRepository($0.connection).find(id) }) else {
            throw ProblemDetails.notFound()
        }
        return EditedResponse(headers: .etag(pipeline.version), response: PipelineResponse(pipeline))
    }

    @Sendable func update(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<PipelineResponse> {
        try context.require(CRMPermission.pipelineManage)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.ifMatchVersion()
        let input = try await request.decode(as: PipelineInput.self, context: context)
        let pipeline = try await dependencies.write(context) { try await PipelineWorkflow($0).update(id, input: input, expectedVersion: version) }
        return EditedResponse(headers: .etag(pipeline.version), response: PipelineResponse(pipeline))
    }

    @Sendable func delete(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        try context.require(CRMPermission.pipelineManage)
        let id = try request.uuidParameter("id", context: context)
        try await dependencies.write(context) { try await PipelineWorkflow($0).delete(id) }
        return .noContent
    }
}
