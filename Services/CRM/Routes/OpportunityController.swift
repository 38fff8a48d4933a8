import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Opportunities: CRUD, stage moves, won/lost with a reason, reopen, stage history.
struct OpportunityController {
    let dependencies: CRMDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/opportunities", use: list)
        router.post("/v1/opportunities", use: create)
        router.get("/v1/opportunities/:id", use: show)
        router.patch("/v1/opportunities/:id", use: update)
        router.delete("/v1/opportunities/:id", use: delete)
        router.post("/v1/opportunities/:id/stage", use: moveStage)
        router.post("/v1/opportunities/:id/won", use: won)
        router.post("/v1/opportunities/:id/lost", use: lost)
        router.post("/v1/opportunities/:id/reopen", use: reopen)
        router.get("/v1/opportunities/:id/stage-history", use: stageHistory)
    }

    /// Filters: the shared ones plus `status`, `pipelineId`, `stageId`, `companyId`, `contactId`,
    /// `currency`, `minAmount`/`maxAmount` (minor units) and `closeFrom`/`closeTo` (expected close date).
    static func listParameters(_ request: Request) throws -> ListParameters {
        var parameters = try ListParameters(request, sortFields: OpportunityRepository.sortFields)
        let query = request.uri.queryParameters
        var filter = OpportunityFilter()
        var issues: [FieldIssue] = []
        if let text = query.get("status"), !text.isEmpty {
            if let status = OpportunityStatus(rawValue: text) { filter.status = status }
            else { issues.append(.invalid("status", message: "open, won or lost.")) }
        }
        for (name, field) in [("pipelineId", \OpportunityFilter.pipelineID), ("stageId", \.stageID), ("companyId", \.companyID),
                              ("contactId", \.contactID)] as [(String, WritableKeyPath<OpportunityFilter, UUID?>)] {
            guard let text = query.get(name), !text.isEmpty else { continue }
            guard let id = UUID(uuidString: text) else { issues.append(.invalid(name, message: "An id.")); continue }
            filter[keyPath: field] = id
        }
        if let text = query.get("currency"), !text.isEmpty {
            if let currency = CurrencyCode(text.uppercased()) { filter.currency = currency }
            else { issues.append(.invalid("currency", message: "An ISO 4217 code.")) }
        }
        for (name, field) in [("minAmount", \OpportunityFilter.minAmount), ("maxAmount", \.maxAmount)] as [(String, WritableKeyPath<OpportunityFilter, Int64?>)] {
            guard let text = query.get(name), !text.isEmpty else { continue }
            guard let amount = Int64(text) else { issues.append(.invalid(name, message: "An amount in minor units.")); continue }
            filter[keyPath: field] = amount
        }
        for (name, field) in [("closeFrom", \OpportunityFilter.closeFrom), ("closeTo", \.closeTo)] as [(String, WritableKeyPath<OpportunityFilter, CalendarDate?>)] {
            guard let text = query.get(name), !text.isEmpty else { continue }
            guard let date = CalendarDate(text) else { issues.append(.invalid(name, message: "A date as YYYY-MM-DD.")); continue }
            filter[keyPath: field] = date
        }
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        parameters.filter = filter
        return parameters
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> Page<OpportunityResponse> {
        let tenant = try context.require(CRMPermission.opportunityRead).tenantID
        let parameters = try Self.listParameters(request)
        let (rows, stages) = try await dependencies.read(tenant) { tx in
            (try await parameters.rows(OpportunityRepository.table, tx.connection), try await PipelineRepository(tx.connection).allStages())
        }
        return try makePage(rows, request: parameters.page, sort: parameters.sort) {
            let opportunity = try OpportunityRepository.decode($0)
            return OpportunityResponse(opportunity, stage: stages[opportunity.stageID]?.stage)
        }
    }

    @Sendable func create(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<OpportunityResponse> {
        try context.require(CRMPermission.opportunityCreate)
        let input = try await request.decode(as: OpportunityInput.self, context: context)
        let response = try await dependencies.write(context) { tx in
            try await Self.response(try await OpportunityWorkflow(tx).create(input), tx)
        }
        return EditedResponse(
            status: .created, headers: .created(response.version, location: "/v1/opportunities/\(response.id.lowercased)"), response: response)
    }

    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<OpportunityResponse> {
        let tenant = try context.require(CRMPermission.opportunityRead).tenantID
        let id = try request.uuidParameter("id", context: context)
        let response = try await dependencies.read(tenant) { tx -> OpportunityResponse in
            guard let opportunity = try await OpportunityRepository(tx.connection).find(id) else { throw ProblemDetails.notFound() }
            return try await Self.response(opportunity, tx)
        }
        return EditedResponse(headers: .etag(response.version), response: response)
    }

    @Sendable func update(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<OpportunityResponse> {
        try context.require(CRMPermission.opportunityUpdate)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.ifMatchVersion()
        let patch = try await request.decode(as: OpportunityPatch.self, context: context)
        let response = try await dependencies.write(context) { tx in
            try await Self.response(try await OpportunityWorkflow(tx).update(id, patch: patch, expectedVersion: version), tx)
        }
        return EditedResponse(headers: .etag(response.version), response: response)
    }

    @Sendable func delete(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        try context.require(CRMPermission.opportunityDelete)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.optionalIfMatchVersion()
        try await dependencies.write(context) { try await OpportunityWorkflow($0).delete(id, expectedVersion: version) }
        return .noContent
    }

    struct StageInput: Decodable, Sendable {
        @LowercaseUUID var stageId: UUID
    }

    struct ReasonInput: Decodable, Sendable {
        var reason: String?
    }

    struct ReopenInput: Decodable, Sendable {
        @LowercaseOptionalUUID var stageId: UUID?
    }

    @Sendable func moveStage(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<OpportunityResponse> {
        try context.require(CRMPermission.opportunityUpdate)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.optionalIfMatchVersion()
        let input = try await request.decode(as: StageInput.self, context: context)
        let response = try await dependencies.write(context) { tx in
            try await Self.response(try await OpportunityWorkflow(tx).moveStage(id, to: input.stageId, expectedVersion: version), tx)
        }
        return EditedResponse(headers: .etag(response.version), response: response)
    }

    @Sendable func won(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<OpportunityResponse> {
        try await close(request, context: context, won: true)
    }

    @Sendable func lost(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<OpportunityResponse> {
        try await close(request, context: context, won: false)
    }

    private func close(_ request: Request, context: ERPRequestContext, won: Bool) async throws -> EditedResponse<OpportunityResponse> {
        try context.require(CRMPermission.opportunityUpdate)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.optionalIfMatchVersion()
        let input = try await request.decode(as: ReasonInput.self, context: context)
        let response = try await dependencies.write(context) { tx in
            try await Self.response(try await OpportunityWorkflow(tx).close(id, won: won, reason: input.reason, expectedVersion: version), tx)
        }
        return EditedResponse(headers: .etag(response.version), response: response)
    }

    @Sendable func reopen(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<OpportunityResponse> {
        try context.require(CRMPermission.opportunityUpdate)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.optionalIfMatchVersion()
        let input = try await request.decode(as: ReopenInput.self, context: context)
        let response = try await dependencies.write(context) { tx in
            try await Self.response(try await OpportunityWorkflow(tx).reopen(id, stageID: input.stageId, expectedVersion: version), tx)
        }
        return EditedResponse(headers: .etag(response.version), response: response)
    }

    struct StageHistory: ResponseCodable, Sendable {
        var items: [StageChangeResponse]
    }

    /// Every stage change, oldest first, with who made it, when, and how long the stage lasted.
    @Sendable func stageHistory(_ request: Request, context: ERPRequestContext) async throws -> StageHistory {
        let tenant = try context.require(CRMPermission.opportunityRead).tenantID
        let id = try request.uuidParameter("id", context: context)
        let (changes, stages, now) = try await dependencies.read(tenant) { tx in
            guard try await OpportunityRepository(tx.connection).find(id) != nil else { throw ProblemDetails.notFound() }
            return (try await OpportunityRepository(tx.connection).stageHistory(id), try await PipelineRepository(tx.connection).allStages(), tx.now)
        }
        let items = changes.enumerated().map { index, change in
            let end = index + 1 < changes.count ? changes[index + 1].changedAt : now
            return StageChangeResponse(
                id: change.id, fromStageId: change.fromStageID, fromStageName: change.fromStageID.flatMap { stages[$0]?.stage.name },
                toStageId: change.toStageID, toStageName: stages[change.toStageID]?.stage.name, changedBy: change.changedBy, changedAt: change.changedAt,
                durationSeconds: Int64(end.timeIntervalSince(change.changedAt).rounded(.down)))
        }
        return StageHistory(items: items)
    }

    static func response(_ opportunity: Opportunity, _ tx: CRMTransaction) async throws -> OpportunityResponse {
        OpportunityResponse(opportunity, stage: try await PipelineRepository(tx.connection).allStages()[opportunity.stageID]?.stage)
    }
}
