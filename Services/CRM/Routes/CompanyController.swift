import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Companies: CRUD with ETags, soft delete and restore, merge of duplicates, linked contacts.
struct CompanyController {
    let dependencies: CRMDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/companies", use: list)
        router.post("/v1/companies", use: create)
        router.get("/v1/companies/:id", use: show)
        router.patch("/v1/companies/:id", use: update)
        router.delete("/v1/companies/:id", use: delete)
        router.post("/v1/companies/:id/restore", use: restore)
        router.post("/v1/companies/:id/merge", use: merge)
        router.get("/v1/companies/:id/contacts", use: contacts)
    }

    /// Filters: the shared ones plus `industry` and `domain` (exact, normalized).
    static func listParameters(_ request: Request) throws -> ListParameters {
        var parameters = try ListParameters(request, sortFields: CompanyRepository.sortFields)
        var filter = CompanyFilter(industry: ListParameters.text(request, "industry", lowercased: true))
        if let domain = request.uri.queryParameters.get("domain"), !domain.isEmpty {
            guard let normalized = Normalize.domain(domain) else { throw ProblemDetails.validation([.invalid("domain", message: "A domain name.")]) }
            filter.domain = normalized
        }
        parameters.filter = filter
        return parameters
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> Page<CompanyResponse> {
        let tenant = try context.require(CRMPermission.companyRead).tenantID
        let parameters = try Self.listParameters(request)
        let rows = try await dependencies.read(tenant) { try await parameters.rows(CompanyRepository.table, $0.connection) }
        return try makePage(rows, request: parameters.page, sort: parameters.sort) { CompanyResponse(try CompanyRepository.decode($0)) }
    }

    @Sendable func create(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<CompanyResponse> {
        try context.require(CRMPermission.companyCreate)
        let input = try await request.decode(as: CompanyInput.self, context: context)
        let company = try await dependencies.write(context) { try await CompanyWorkflow($0).create(input) }
        return EditedResponse(status: .created, headers: .created(company.version, location: "/v1/companies/\(company.id.lowercased)"), response: CompanyResponse(company))
    }

    /// A company, also from the trash (its `deletedAt` says so).
    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<CompanyResponse> {
        let tenant = try context.require(CRMPermission.companyRead).tenantID
        let id = try request.uuidParameter("id", context: context)
        guard let company = try await dependencies.read(tenant, { try await CompanyRepository($0.connection).find(id) }) else {
            throw ProblemDetails.notFound()
        }
        return EditedResponse(headers: .etag(company.version), response: CompanyResponse(company))
    }

    @Sendable func update(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<CompanyResponse> {
        try context.require(CRMPermission.companyUpdate)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.ifMatchVersion()
        let patch = try await request.decode(as: CompanyPatch.self, context: context)
        let company = try await dependencies.write(context) { try await CompanyWorkflow($0).update(id, patch: patch, expectedVersion: version) }
        return EditedResponse(headers: .etag(company.version), response: CompanyResponse(company))
    }

    @Sendable func delete(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        try context.require(CRMPermission.companyDelete)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.optionalIfMatchVersion()
        try await dependencies.write(context) { try await CompanyWorkflow($0).delete(id, expectedVersion: version) }
        return .noContent
    }

    @Sendable func restore(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<CompanyResponse> {
        try context.require(CRMPermission.companyDelete)
        let id = try request.uuidParameter("id", context: context)
        let company = try await dependencies.write(context) { try await CompanyWorkflow($0).restore(id) }
        return EditedResponse(headers: .etag(company.version), response: CompanyResponse(company))
    }

    /// Merges the company named in the body into this one (`If-Match` of this one).
    @Sendable func merge(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<CompanyResponse> {
        try context.require(CRMPermission.companyUpdate)
        try context.require(CRMPermission.companyDelete)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.ifMatchVersion()
        let input = try await request.decode(as: MergeInput.self, context: context)
        let company = try await dependencies.write(context) {
            try await CompanyWorkflow($0).merge(id, duplicateID: input.duplicateId, expectedVersion: version)
        }
        return EditedResponse(headers: .etag(company.version), response: CompanyResponse(company))
    }

    struct LinkCursor: Codable {
        var createdAt: Date
        @LowercaseUUID var contactId: UUID
    }

    /// The contacts linked to the company, with their roles.
    @Sendable func contacts(_ request: Request, context: ERPRequestContext) async throws -> Page<CompanyContactResponse> {
        let tenant = try context.require(CRMPermission.companyRead).tenantID
        try context.require(CRMPermission.contactRead)
        let id = try request.uuidParameter("id", context: context)
        let query = request.uri.queryParameters
        let page = try PageRequest(queryLimit: query.get("limit"), queryCursor: query.get("cursor"))
        let after = try page.cursor?.decode(LinkCursor.self)
        let links = try await dependencies.read(tenant) { tx -> [ContactLink] in
            guard let company = try await CompanyRepository(tx.connection).find(id), company.deletedAt == nil else { throw ProblemDetails.notFound() }
            return try await ContactRepository(tx.connection).links(
                company: id, after: after.map { ($0.createdAt, $0.contactId) }, limit: page.fetchLimit)
        }
        let items = links.map { CompanyContactResponse(contactId: $0.contactID, name: $0.contactName, role: $0.role, isPrimary: $0.isPrimary, linkedAt: $0.createdAt) }
        return try Page(fetched: items, request: page) { LinkCursor(createdAt: $0.linkedAt, contactId: $0.contactId) }
    }
}
