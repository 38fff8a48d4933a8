import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Escalation rules (if an item needing action gets no follow-up event within a period, notify
/// the next person of the chain) and the escalations they opened.
struct EscalationController {
    let dependencies: NotificationDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/escalation-rules", use: list)
        router.post("/v1/escalation-rules", use: create)
        router.delete("/v1/escalation-rules/:id", use: delete)
        router.get("/v1/escalations", use: escalations)
    }

    struct RuleResponse: ResponseCodable {
        var id: UUID
        var triggerEventType: String
        var resolveEventTypes: [String]
        var afterSeconds: Int
        var chain: [UUID]
        var channels: [Channel]
        var enabled: Bool
        var createdAt: Date

        init(_ rule: EscalationRule) {
            id = rule.id
            triggerEventType = rule.triggerEventType
            resolveEventTypes = rule.resolveEventTypes
            afterSeconds = rule.afterSeconds
            chain = rule.chain
            channels = rule.channels
            enabled = rule.enabled
            createdAt = rule.createdAt
        }
    }

    struct RuleList: ResponseCodable {
        var items: [RuleResponse]
    }

    struct EscalationResponse: Codable, Sendable {
        var id: UUID
        var ruleId: UUID
        var subject: String
        var triggerEventType: String
        var level: Int
        var status: Escalation.Status
        var dueAt: Date
        var openedAt: Date
        var resolvedAt: Date?
    }

    struct EscalationList: ResponseCodable {
        var items: [EscalationResponse]
    }

    struct RuleInput: Decodable {
        var triggerEventType: String?
        var resolveEventTypes: [String]?
        var afterSeconds: Int?
        var chain: [UUID]?
        var channels: [String]?
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> RuleList {
        let tenant = try context.require("notification.rule.read").tenantID
        return RuleList(items: try await dependencies.inTenant(tenant) { try await EscalationRepository($0).rules() }.map(RuleResponse.init))
    }

    @Sendable func create(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<RuleResponse> {
        let tenant = try context.require("notification.rule.manage").tenantID
        let input = try await request.decode(as: RuleInput.self, context: context)
        var issues: [FieldIssue] = []
        let trigger = input.triggerEventType ?? ""
        if (try? EventType(trigger)) == nil { issues.append(.invalid("triggerEventType", message: "An event type, e.g. erp.hrm.leave.requested.")) }
        let resolve = input.resolveEventTypes ?? []
        if resolve.isEmpty || resolve.count > 20 || !resolve.allSatisfy({ (try? EventType($0)) != nil }) {
            issues.append(.invalid("resolveEventTypes", message: "1 to 20 event types that close the wait, e.g. erp.hrm.leave.approved."))
        }
        let after = input.afterSeconds ?? 0
        if !(60...31_536_000).contains(after) { issues.append(.outOfRange("afterSeconds", message: "From 60 seconds to a year.")) }
        let chain = input.chain ?? []
        if chain.isEmpty || chain.count > 10 { issues.append(.invalid("chain", message: "1 to 10 user ids, in the order they are told.")) }
        let channels = (input.channels ?? ["email", "in_app"]).compactMap(Channel.init(rawValue:))
        if channels.isEmpty || channels.count != (input.channels ?? ["email", "in_app"]).count || channels.contains(.webhook) {
            issues.append(.invalid("channels", message: "Some of email, in_app, sms."))
        }
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        let rule = EscalationRule(id: UUID(), triggerEventType: trigger, resolveEventTypes: resolve, afterSeconds: after, chain: chain,
                                  channels: Array(Set(channels)).sorted { $0.rawValue < $1.rawValue }, enabled: true, createdAt: dependencies.clock.now())
        let saved = try await dependencies.inTenant(tenant) { connection -> EscalationRule? in
            let repository = EscalationRepository(connection)
            try await repository.createRule(rule, tenant: tenant)
            return try await repository.rule(rule.id)
        }
        guard let saved else { throw ProblemDetails.internalError() }
        return EditedResponse(status: .created, headers: [.location: "/v1/escalation-rules/\(saved.id.uuidString.lowercased())"], response: RuleResponse(saved))
    }

    @Sendable func delete(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let tenant = try context.require("notification.rule.manage").tenantID
        let id = try request.uuidParameter("id", context: context)
        guard try await dependencies.inTenant(tenant, { try await EscalationRepository($0).deleteRule(id) }) else { throw ProblemDetails.notFound() }
        return .noContent
    }

    @Sendable func escalations(_ request: Request, context: ERPRequestContext) async throws -> EscalationList {
        let tenant = try context.require("notification.rule.read").tenantID
        let items = try await dependencies.inTenant(tenant) { try await EscalationRepository($0).list(limit: 200) }
        return EscalationList(items: items.map {
            EscalationResponse(id: $0.id, ruleId: $0.ruleID, subject: $0.subject, triggerEventType: $0.triggerEventType, level: $0.level,
                               status: $0.status, dueAt: $0.dueAt, openedAt: $0.openedAt, resolvedAt: $0.resolvedAt)
        })
    }
}
