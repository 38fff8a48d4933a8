import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// `GET /v1/audit-events`: the organization's audit log, newest first, filtered by `action`,
/// `actorId`, `targetId`, `outcome` and the time range `from`/`to` (ISO 8601), paginated.
struct AuditController {
    let dependencies: AuthDependencies

    struct AuditEventResponse: Codable, Sendable {
        var id: UUID
        var occurredAt: Date
        var action: String
        var outcome: String
        var actorType: String
        var actorId: String?
        var targetType: String?
        var targetId: String?
        var ip: String?
        var userAgent: String?
        var details: [String: String]
    }

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/audit-events", use: list)
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> Page<AuditEventResponse> {
        let tenant = try context.require("auth.audit.read").tenantID
        let query = request.uri.queryParameters
        let page = try PageRequest(queryLimit: query.get("limit"), queryCursor: query.get("cursor"))
        let after = try page.cursor?.decode(AuditCursor.self)
        var issues: [FieldIssue] = []
        func date(_ name: String) -> Date? {
            guard let text = query.get(name), !text.isEmpty else { return nil }
            guard let date = ERPJSON.date(from: text) else {
                issues.append(.invalid(name, message: "Use an ISO 8601 time such as 2026-11-21T10:00:00Z."))
                return nil
            }
            return date
        }
        let outcome = query.get("outcome").flatMap { $0.isEmpty ? nil : String($0) }
        if let outcome, AuditEntry.Outcome(rawValue: outcome) == nil { issues.append(.invalid("outcome", message: "Use success or failure.")) }
        let filter = AuditRepository.Filter(
            action: query.get("action").flatMap { $0.isEmpty ? nil : String($0) },
            actorID: query.get("actorId").flatMap { $0.isEmpty ? nil : String($0) },
            targetID: query.get("targetId").flatMap { $0.isEmpty ? nil : String($0) },
            outcome: outcome, from: date("from"), to: date("to")
        )
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        let entries = try await dependencies.inTenant(tenant) { try await AuditRepository($0).list(filter, after: after, limit: page.fetchLimit) }
        return try Page(fetched: entries, request: page) { AuditCursor(occurredAt: $0.occurredAt, id: $0.id) }.map {
            AuditEventResponse(id: $0.id, occurredAt: $0.occurredAt, action: $0.action.rawValue, outcome: $0.outcome.rawValue, actorType: $0.actorType.rawValue,
                               actorId: $0.actorID, targetType: $0.targetType, targetId: $0.targetID, ip: $0.ip, userAgent: $0.userAgent, details: $0.details)
        }
    }
}
