import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Event rules: which event type notifies whom on which channel. The built-in rules apply until
/// the tenant saves its own for the same event type and channel (`enabled: false` turns one off).
struct RuleController {
    let dependencies: NotificationDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/rules", use: list)
        router.put("/v1/rules/:eventType/:channel", use: save)
        router.delete("/v1/rules/:eventType/:channel", use: delete)
    }

    struct RuleResponse: ResponseCodable {
        var eventType: String
        var channel: Channel
        var audience: String
        var enabled: Bool
        var transactional: Bool
        var source: String
        var id: UUID?
        var version: Int

        init(_ rule: EventRule) {
            eventType = rule.eventType
            channel = rule.channel
            audience = rule.audience.description
            enabled = rule.enabled
            transactional = rule.transactional
            source = rule.isBuiltIn ? "built_in" : "tenant"
            id = rule.id
            version = rule.version
        }
    }

    struct RuleList: ResponseCodable {
        var items: [RuleResponse]
    }

    struct RuleInput: Decodable {
        /// `event`, `owners`, `admins`, `role:<Role>` or `user:<uuid>`.
        var audience: String?
        var enabled: Bool?
        var transactional: Bool?
    }

    /// Every rule in effect: built-in ones not overridden, and the tenant's own.
    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> RuleList {
        let tenant = try context.require("notification.rule.read").tenantID
        let own = try await dependencies.inTenant(tenant) { try await RuleRepository($0).all() }
        let overridden = Set(own.map { "\($0.eventType) \($0.channel.rawValue)" })
        let builtIn = NotificationCatalogue.builtInRules.filter { !overridden.contains("\($0.eventType) \($0.channel.rawValue)") }
        let all = (builtIn + own).sorted { ($0.eventType, $0.channel.rawValue) < ($1.eventType, $1.channel.rawValue) }
        return RuleList(items: all.map(RuleResponse.init))
    }

    /// Creates or replaces the tenant's rule; `If-Match` with its version (`"0"` for a new one).
    @Sendable func save(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<RuleResponse> {
        let tenant = try context.require("notification.rule.manage").tenantID
        let key = try TemplateKey(context, personalOnly: false, withLocale: false)
        let version = try request.requiredVersion()
        let input = try await request.decode(as: RuleInput.self, context: context)
        guard let audience = Audience(input.audience ?? "") else {
            throw ProblemDetails.validation([.invalid("audience", message: "event, owners, admins, role:<Role> or user:<uuid>.")])
        }
        if audience == .event, NotificationCatalogue.entry(key.eventType)?.addressField == nil {
            throw ProblemDetails.validation([.invalid("audience", message: "This event names no recipient; choose owners, admins, a role or a user.")])
        }
        if key.channel == .webhook {
            throw ProblemDetails.validation([.invalid("channel", message: "Webhooks are chosen by registering an endpoint (POST /v1/webhooks).")])
        }
        let rule = EventRule(id: nil, eventType: key.eventType, channel: key.channel, audience: audience, enabled: input.enabled ?? true,
                             transactional: input.transactional ?? false, version: version, createdAt: nil)
        let (saved, created) = try await dependencies.inTenant(tenant) { connection -> (EventRule?, Bool) in
            let rules = RuleRepository(connection)
            let existing = try await rules.forEvent(key.eventType).first { $0.channel == key.channel }
            guard (existing?.version ?? 0) == version else { return (nil, false) }
            return (try await rules.save(rule, tenant: tenant, expectedVersion: existing == nil ? nil : version), existing == nil)
        }
        guard let saved else { throw ProblemDetails.preconditionFailed(detail: "The rule changed since you read it.") }
        var response = EditedResponse(headers: .etag(saved.version), response: RuleResponse(saved))
        if created { response.status = .created }
        return response
    }

    /// Removes the tenant's rule (the built-in one, if any, applies again).
    @Sendable func delete(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let tenant = try context.require("notification.rule.manage").tenantID
        let key = try TemplateKey(context, personalOnly: false, withLocale: false)
        let deleted = try await dependencies.inTenant(tenant) { connection -> Bool in
            let rules = RuleRepository(connection)
            guard let rule = try await rules.forEvent(key.eventType).first(where: { $0.channel == key.channel }), let id = rule.id else { return false }
            return try await rules.delete(id)
        }
        guard deleted else { throw ProblemDetails.notFound() }
        return .noContent
    }
}
