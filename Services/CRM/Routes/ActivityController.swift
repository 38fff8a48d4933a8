import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Activities on any record: log, list, edit, complete, delete.
struct ActivityController {
    let dependencies: CRMDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/activities", use: list)
        router.post("/v1/activities", use: create)
        router.get("/v1/activities/:id", use: show)
        router.patch("/v1/activities/:id", use: update)
        router.delete("/v1/activities/:id", use: delete)
        router.post("/v1/activities/:id/complete", use: complete)
    }

    struct ActivityResponse: ResponseCodable, Sendable {
        @LowercaseUUID var id: UUID
        var kind: ActivityKind
        var subject: String
        var body: String
        var recordType: RecordType
        @LowercaseUUID var recordId: UUID
        var occurredAt: Date
        var dueAt: Date?
        var done: Bool
        var doneAt: Date?
        var doneBy: String?
        var durationMinutes: Int?
        var ownerId: UserID?
        var version: Int64
        var createdBy: String
        var createdAt: Date
        var updatedAt: Date

        init(_ activity: Activity) {
            id = activity.id
            kind = activity.kind
            subject = activity.subject
            body = activity.body
            recordType = activity.recordType
            recordId = activity.recordID
            occurredAt = activity.occurredAt
            dueAt = activity.dueAt
            done = activity.done
            doneAt = activity.doneAt
            doneBy = activity.doneBy
            durationMinutes = activity.durationMinutes
            ownerId = activity.ownerID
            version = activity.version
            createdBy = activity.createdBy
            createdAt = activity.createdAt
            updatedAt = activity.updatedAt
        }
    }

    /// Filters: `recordType` + `recordId`, `kind`, `ownerId`, `done`, `dueBefore`/`dueAfter`;
    /// sort by `occurredAt` (default newest first), `dueAt`, `createdAt`, `updatedAt`.
    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> Page<ActivityResponse> {
        let tenant = try context.require(CRMPermission.activityRead).tenantID
        let query = request.uri.queryParameters
        let page = try PageRequest(queryLimit: query.get("limit"), queryCursor: query.get("cursor"))
        let sort = try ListSort.parse(query.get("sort"), fields: ActivityRepository.sortFields, searching: false, default: "-occurredAt")
        let after = try ListCursor.decode(page, sort: sort)
        var filter = ActivityFilter()
        var issues: [FieldIssue] = []
        if let text = query.get("recordType"), !text.isEmpty {
            if let type = RecordType(rawValue: text) { filter.recordType = type }
            else { issues.append(.invalid("recordType", message: "company, contact, lead or opportunity.")) }
        }
        for (name, field) in [("recordId", \ActivityFilter.recordID), ("ownerId", \.ownerID)] as [(String, WritableKeyPath<ActivityFilter, UUID?>)] {
            guard let text = query.get(name), !text.isEmpty else { continue }
            guard let id = UUID(uuidString: text) else { issues.append(.invalid(name, message: "An id.")); continue }
            filter[keyPath: field] = id
        }
        if let text = query.get("kind"), !text.isEmpty {
            if let kind = ActivityKind(rawValue: text) { filter.kind = kind }
            else { issues.append(.invalid("kind", message: "call, email, meeting, note or task.")) }
        }
        filter.done = try ListParameters.bool(query.get("done"), name: "done")
        for (name, field) in [("dueBefore", \ActivityFilter.dueBefore), ("dueAfter", \.dueAfter)] as [(String, WritableKeyPath<ActivityFilter, Date?>)] {
            guard let text = query.get(name), !text.isEmpty else { continue }
            guard let date = ERPJSON.date(from: text) else { issues.append(.invalid(name, message: "An ISO-8601 timestamp.")); continue }
            filter[keyPath: field] = date
        }
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        let rows = try await dependencies.read(tenant) { try await ActivityRepository($0.connection).list(filter: filter, sort: sort, after: after, limit: page.fetchLimit) }
        return try makePage(rows, request: page, sort: sort) { ActivityResponse(try ActivityRepository.decode($0)) }
    }

    @Sendable func create(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<ActivityResponse> {
        try context.require(CRMPermission.activityLog)
        let input = try await request.decode(as: ActivityInput.self, context: context)
        try context.require(CRMPermission.read(input.recordType))
        let activity = try await dependencies.write(context) { try await ActivityWorkflow($0).log(input) }
        return EditedResponse(
            status: .created, headers: .created(activity.version, location: "/v1/activities/\(activity.id.lowercased)"), response: ActivityResponse(activity))
    }

    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<ActivityResponse> {
        let tenant = try context.require(CRMPermission.activityRead).tenantID
        let id = try request.uuidParameter("id", context: context)
        guard let activity = try await dependencies.read(tenant, { try await ActivityRepository($0.connection).find(id) }), activity.deletedAt == nil else {
            throw ProblemDetails.notFound()
        }
        return EditedResponse(headers: .etag(activity.version), response: ActivityResponse(activity))
    }

    @Sendable func update(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<ActivityResponse> {
        try context.require(CRMPermission.activityUpdate)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.ifMatchVersion()
        let patch = try await request.decode(as: ActivityPatch.self, context: context)
        let activity = try await dependencies.write(context) { try await ActivityWorkflow($0).update(id, patch: patch, expectedVersion: version) }
        return EditedResponse(headers: .etag(activity.version), response: ActivityResponse(activity))
    }

    @Sendable func delete(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        try context.require(CRMPermission.activityDelete)
        let id = try request.uuidParameter("id", context: context)
        let version = try request.optionalIfMatchVersion()
        try await dependencies.write(context) { try await ActivityWorkflow($0).delete(id, expectedVersion: version) }
        return .noContent
    }

    @Sendable func complete(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<ActivityResponse> {
        try context.require(CRMPermission.activityUpdate)
        let id = try request.uuidParameter("id", context: context)
        let activity = try await dependencies.write(context) { try await ActivityWorkflow($0).complete(id) }
        return EditedResponse(headers: .etag(activity.version), response: ActivityResponse(activity))
    }
}
