import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Leads: CRUD, the status state machine, owner assignment, conversion, scores.
struct LeadController {
    let dependencies: CRMDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/leads", use: list)
        router.post("/v1/leads", use: create)
        router.get("/v1/leads/:id", use: show)
        router.patch("/v1/leads/:id", use: update)
        router.delete("/v1/leads/:id", use: delete)
        router.post("/v1/leads/:id/status", use: status)
        router.post("/v1/leads/:id/assign", use: assign)
        router.post("/v1/leads/:id/convert", use: convert)
        router.get("/v1/leads/:id/scores", use: scores)
        router.post("/v1/leads/:id/scores", use: rescore)
    }

    /// Filters: the shared ones plus `status`, `source`, `priority` and `minScore`.
    static func listParameters(_ request: Request) throws -> ListParameters {
        var parameters = try ListParameters(request, sortFields: LeadRepository.sortFields)
        let query = request.uri.queryParameters
        var filter = LeadFilter()
        var issues: [FieldIssue] = []
        if let text = query.get("status"), !text.isEmpty {
            if let status = LeadStatus(rawValue: text) { filter.status = status }
            else { issues.append(.invalid("status", message: "new, contacted, qualified, unqualified or converted.")) }
        }
        if let text = query.get("source"), !text.isEmpty {
            if let source = LeadSource(rawValue: text) { filter.source = source }
            else { issues.append(.invalid("source", message: "A lead source.")) }
        }
        if let text = query.get("priority"), !text.isEmpty {
            if let priority = LeadPriority(rawValue: text.uppercased()) { filter.priority = priority }
            else { issues.append(.invalid("priority", message: "IMMEDIATE, HIGH, MEDIUM or LOW.")) }
        }
        if let text = query.get("minScore"), !text.isEmpty {
            if let minimum = Int(text), (0...100).contains(minimum) { filter.minScore = minimum }
            else { issues.append(.outOfRange("minScore", message: "From 0 to 100.")) }
        }
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        parameters.filter = filter
        return parameters
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> Page<LeadResponse> {
        let tenant = try context.require(CRMPermission.leadRead).tenantID
        let parameters = try Self.listParameters(request)
        let rows = try await dependencies.read(tenant) { try await parameters.rows(LeadRepository.table, $0.connection) }
        return try makePage(rows, request: parameters.page, sort: parameters.sort) { LeadResponse(try LeadRepository.decode($0)) }
    }

    @Sendable func create(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<LeadResponse> {
        try context.require(CRMPermission.leadCreate)
        let input = try await request.decode(as: LeadInput.self, context: context)
        let lead = try await dependencies.write(context) { try await LeadWorkflow($0).create(input) }
        return EditedResponse(status: .created, headers: .created(lead.version, location: "/v1/leads/\(lead.id.lowercased)"), response: LeadResponse(lead))
    }

    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<LeadResponse> {
        let tenant = try context.require(CRMPermission.leadRead).tenantID
        let id = try request.uuidParameter("id", context: context)
        guard let lead = try await dependencies.read(tenant, { try await LeadRepository($0.connection).find(id) }) else { throw ProblemDetails.notFound() }
        return EditedResponse(headers: .etag(lead.version), response: LeadResponse(lead))
    }

    @Sendable func update(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<LeadResponse> {
        try context.require(CRMPermission.leadUpdate)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.ifMatchVersion()
        let patch = try await request.decode(as: LeadPatch.self, context: context)
        let lead = try await dependencies.write(context) { try await LeadWorkflow($0).update(id, patch: patch, expectedVersion: version) }
        return EditedResponse(headers: .etag(lead.version), response: LeadResponse(lead))
    }

    @Sendable func delete(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        try context.require(CRMPermission.leadDelete)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.optionalIfMatchVersion()
        try await dependencies.write(context) { try await LeadWorkflow($0).delete(id, expectedVersion: version) }
        return .noContent
    }

    struct StatusInput: Decodable, Sendable {
        var status: LeadStatus
        var reason: String?
    }

    @Sendable func status(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<LeadResponse> {
        try context.require(CRMPermission.leadUpdate)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.optionalIfMatchVersion()
        let input = try await request.decode(as: StatusInput.self, context: context)
        if input.status == .converted {
            throw ProblemDetails.validation([.invalid("status", message: "Convert a lead with POST /v1/leads/{id}/convert.")])
        }
        let lead = try await dependencies.write(context) {
            try await LeadWorkflow($0).changeStatus(id, to: input.status, reason: input.reason, expectedVersion: version)
        }
        return EditedResponse(headers: .etag(lead.version), response: LeadResponse(lead))
    }

    struct AssignInput: Decodable, Sendable {
        /// The new owner; leave out to take the next member of the round-robin rotation.
        var ownerId: UserID?
        /// `manual` (needs ownerId) or `round_robin`.
        var method: String?
    }

    /// Needs `crm.lead.assign`, or `crm.lead.update` for the lead's owner handing it over (`OwnerRule`).
    @Sendable func assign(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<LeadResponse> {
        try context.require(try context.requireIdentity().has(CRMPermission.leadAssign) ? CRMPermission.leadAssign : CRMPermission.leadUpdate)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.optionalIfMatchVersion()
        let input = try await request.decode(as: AssignInput.self, context: context)
        switch (input.method ?? (input.ownerId == nil ? "round_robin" : "manual"), input.ownerId) {
        case ("manual", nil): throw ProblemDetails.validation([.required("ownerId")])
        case ("round_robin", .some): throw ProblemDetails.validation([.invalid("ownerId", message: "Round-robin chooses the owner.")])
        case ("manual", _), ("round_robin", _): break
        default: throw ProblemDetails.validation([.invalid("method", message: "manual or round_robin.")])
        }
        let lead = try await dependencies.write(context) { try await LeadWorkflow($0).assign(id, owner: input.ownerId, expectedVersion: version) }
        return EditedResponse(headers: .etag(lead.version), response: LeadResponse(lead))
    }

    struct ConversionResponse: ResponseCodable, Sendable {
        var lead: LeadResponse
        var contact: ContactResponse
        var company: CompanyResponse?
        var opportunity: OpportunityResponse
    }

    /// Converts a qualified lead into contact + company + opportunity in one transaction.
    @Sendable func convert(_ request: Request, context: ERPRequestContext) async throws -> ConversionResponse {
        try context.require(CRMPermission.leadConvert)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.optionalIfMatchVersion()
        let input = try await request.decode(as: ConversionInput.self, context: context)
        let (result, stage) = try await dependencies.write(context) { tx in
            let result = try await LeadConversion(tx).convert(id, input: input, expectedVersion: version)
            return (result, try await PipelineRepository(tx.connection).allStages()[result.opportunity.stageID]?.stage)
        }
        return ConversionResponse(
            lead: LeadResponse(result.lead), contact: ContactResponse(result.contact), company: result.company.map(CompanyResponse.init),
            opportunity: OpportunityResponse(result.opportunity, stage: stage))
    }

    struct ScoreHistory: ResponseCodable, Sendable {
        var items: [LeadScoreResponse]
    }

    /// The lead's scores, newest first (the first is the current one).
    @Sendable func scores(_ request: Request, context: ERPRequestContext) async throws -> ScoreHistory {
        let tenant = try context.require(CRMPermission.leadRead).tenantID
        let id = try request.uuidParameter("id", context: context)
        let entries = try await dependencies.read(tenant) { tx -> [LeadScoreRepository.Entry] in
            guard try await LeadRepository(tx.connection).find(id) != nil else { throw ProblemDetails.notFound() }
            return try await LeadScoreRepository(tx.connection).history(lead: id, limit: 200)
        }
        return ScoreHistory(items: entries.map(LeadScoreResponse.init))
    }

    /// Scores the lead again from its stored inputs.
    @Sendable func rescore(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<LeadScoreResponse> {
        try context.require(CRMPermission.leadUpdate)
        let id = try request.uuidParameter("id", context: context)
        let entry = try await dependencies.write(context) { tx -> LeadScoreRepository.Entry in
            _ = try await LeadWorkflow(tx).rescore(id)
            return try await LeadScoreRepository(tx.connection).history(lead: id, limit: 1)[0]
        }
        return EditedResponse(status: .created, response: LeadScoreResponse(entry))
    }
}
