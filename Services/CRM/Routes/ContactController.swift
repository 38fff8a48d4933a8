import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Contacts: CRUD with ETags, soft delete and restore, merge of duplicates, company links with roles.
struct ContactController {
    let dependencies: CRMDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/contacts", use: list)
        router.post("/v1/contacts", use: create)
        router.get("/v1/contacts/:id", use: show)
        router.patch("/v1/contacts/:id", use: update)
        router.delete("/v1/contacts/:id", use: delete)
        router.post("/v1/contacts/:id/restore", use: restore)
        router.post("/v1/contacts/:id/merge", use: merge)
        router.put("/v1/contacts/:id/companies/:companyId", use: link)
        router.delete("/v1/contacts/:id/companies/:companyId", use: unlink)
    }

    /// Filters: the shared ones plus `email` (exact, normalized) and `companyId` (linked to).
    static func listParameters(_ request: Request) throws -> ListParameters {
        var parameters = try ListParameters(request, sortFields: ContactRepository.sortFields)
        let query = request.uri.queryParameters
        var filter = ContactFilter()
        if let email = query.get("email"), !email.isEmpty {
            filter.email = email.trimmingCharacters(in: .whitespaces).lowercased()
        }
        if let text = query.get("companyId"), !text.isEmpty {
            guard let company = UUID(uuidString: text) else { throw ProblemDetails.validation([.invalid("companyId", message: "A company id.")]) }
            filter.companyID = company
        }
        parameters.filter = filter
        return parameters
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> Page<ContactResponse> {
        let tenant = try context.require(CRMPermission.contactRead).tenantID
        let parameters = try Self.listParameters(request)
        let rows = try await dependencies.read(tenant) { try await parameters.rows(ContactRepository.table, $0.connection) }
        return try makePage(rows, request: parameters.page, sort: parameters.sort) {
            ContactResponse(try ContactRepository.decode($0), withLinks: false)
        }
    }

    @Sendable func create(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<ContactResponse> {
        try context.require(CRMPermission.contactCreate)
        let input = try await request.decode(as: ContactInput.self, context: context)
        let contact = try await dependencies.write(context) { try await ContactWorkflow($0).create(input) }
        return EditedResponse(status: .created, headers: .created(contact.version, location: "/v1/contacts/\(contact.id.lowercased)"), response: ContactResponse(contact))
    }

    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<ContactResponse> {
        let tenant = try context.require(CRMPermission.contactRead).tenantID
        let id = try request.uuidParameter("id", context: context)
        guard let contact = try await dependencies.read(tenant, { try await ContactRepository($0.connection).find(id) }) else {
            throw ProblemDetails.notFound()
        }
        return EditedResponse(headers: .etag(contact.version), response: ContactResponse(contact))
    }

    @Sendable func update(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<ContactResponse> {
        try context.require(CRMPermission.contactUpdate)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.ifMatchVersion()
        let patch = try await request.decode(as: ContactPatch.self, context: context)
        let contact = try await dependencies.write(context) { try await ContactWorkflow($0).update(id, patch: patch, expectedVersion: version) }
        return EditedResponse(headers: .etag(contact.version), response: ContactResponse(contact))
    }

    @Sendable func delete(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        try context.require(CRMPermission.contactDelete)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.optionalIfMatchVersion()
        try await dependencies.write(context) { try await ContactWorkflow($0).delete(id, expectedVersion: version) }
        return .noContent
    }

    @Sendable func restore(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<ContactResponse> {
        try context.require(CRMPermission.contactDelete)
        let id = try request.uuidParameter("id", context: context)
        let contact = try await dependencies.write(context) { try await ContactWorkflow($0).restore(id) }
        return EditedResponse(headers: .etag(contact.version), response: ContactResponse(contact))
    }

    @Sendable func merge(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<ContactResponse> {
        try context.require(CRMPermission.contactMerge)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.ifMatchVersion()
        let input = try await request.decode(as: MergeInput.self, context: context)
        let contact = try await dependencies.write(context) {
            try await ContactWorkflow($0).merge(id, duplicateID: input.duplicateId, expectedVersion: version)
        }
        return EditedResponse(headers: .etag(contact.version), response: ContactResponse(contact))
    }

    struct LinkInput: Decodable, Sendable {
        var role: String?
        var isPrimary: Bool?
    }

    /// Links the contact to a company (or changes the link's role / primary flag).
    @Sendable func link(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<ContactResponse> {
        try context.require(CRMPermission.contactUpdate)
        let id = try request.uuidParameter("id", context: context)
        let companyID = try request.uuidParameter("companyId", context: context)
        let input = try await request.decode(as: LinkInput.self, context: context)
        var validator = FieldValidator()
        let role = validator.text(input.role, field: "role", maximum: 100) ?? ""
        try validator.check()
        let contact = try await dependencies.write(context) {
            try await ContactWorkflow($0).link(id, company: companyID, role: role, isPrimary: input.isPrimary ?? false)
        }
        return EditedResponse(headers: .etag(contact.version), response: ContactResponse(contact))
    }

    @Sendable func unlink(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<ContactResponse> {
        try context.require(CRMPermission.contactUpdate)
        let id = try request.uuidParameter("id", context: context)
        let companyID = try request.uuidParameter("companyId", context: context)
        let contact = try await dependencies.write(context) { try await ContactWorkflow($0).unlink(id, company: companyID) }
        return EditedResponse(headers: .etag(contact.version), response: ContactResponse(contact))
    }
}
