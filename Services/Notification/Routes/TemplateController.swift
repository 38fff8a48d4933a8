import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Templates per event type, channel and locale: the built-in ones, the tenant's overrides
/// (checked against the event type's variables when saved: an unknown variable is a 422, never a
/// blank in a customer's mail), and a preview that renders one with sample or given data.
struct TemplateController {
    let dependencies: NotificationDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/event-types", use: eventTypes)
        router.get("/v1/templates", use: list)
        router.get("/v1/templates/:eventType/:channel/:locale", use: show)
        router.put("/v1/templates/:eventType/:channel/:locale", use: save)
        router.delete("/v1/templates/:eventType/:channel/:locale", use: delete)
        router.post("/v1/templates/preview", use: preview)
    }

    struct EventTypeResponse: Codable, Sendable {
        var eventType: String
        var channels: [Channel]
        var variables: [String: JSONValue]
    }

    struct EventTypeList: ResponseCodable {
        var items: [EventTypeResponse]
    }

    struct TemplateList: ResponseCodable {
        var items: [TemplateResponse]
    }

    struct TemplateInput: Decodable {
        var subject: String?
        var text: String?
        var html: String?
    }

    struct PreviewInput: Decodable {
        var eventType: String?
        var channel: Channel?
        var locale: String?
        /// A template to try before saving it; without it, the one that would be used now.
        var template: TemplateInput?
        /// Values replacing the samples (same names as the event's variables).
        var data: [String: JSONValue]?
    }

    /// The event types templates can be written for, with their variables and sample values.
    @Sendable func eventTypes(_ request: Request, context: ERPRequestContext) async throws -> EventTypeList {
        try context.require("notification.template.read")
        return EventTypeList(items: NotificationCatalogue.entries.values.sorted { $0.eventType < $1.eventType }.map {
            EventTypeResponse(eventType: $0.eventType, channels: Channel.personal, variables: $0.sampleVariables)
        })
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> TemplateList {
        let tenant = try context.require("notification.template.read").tenantID
        let own = try await dependencies.inTenant(tenant) { try await TemplateRepository($0).all() }
        let builtIn = NotificationCatalogue.entries.values.sorted { $0.eventType < $1.eventType }.flatMap { entry in
            entry.templates.sorted { $0.key.rawValue < $1.key.rawValue }.map { TemplateResponse(builtIn: entry.eventType, channel: $0.key, content: $0.value) }
        }
        return TemplateList(items: own.map(TemplateResponse.init) + builtIn)
    }

    /// The tenant's template, or the built-in one for English.
    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<TemplateResponse> {
        let tenant = try context.require("notification.template.read").tenantID
        let key = try TemplateKey(context, personalOnly: true, withLocale: true)
        let locale = key.locale ?? "en"
        if let stored = try await dependencies.inTenant(tenant, { try await TemplateRepository($0).find(eventType: key.eventType, channel: key.channel, locale: locale) }) {
            return EditedResponse(headers: .etag(stored.version), response: TemplateResponse(stored))
        }
        guard locale == "en", let content = NotificationCatalogue.entry(key.eventType)?.templates[key.channel] else { throw ProblemDetails.notFound() }
        return EditedResponse(headers: .etag(0), response: TemplateResponse(builtIn: key.eventType, channel: key.channel, content: content))
    }

    /// Creates or replaces the tenant's template; `If-Match` with the last ETag (`"0"` for a new one).
    @Sendable func save(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<TemplateResponse> {
        let tenant = try context.require("notification.template.manage").tenantID
        let key = try TemplateKey(context, personalOnly: true, withLocale: true)
        let version = try request.requiredVersion()
        let input = try await request.decode(as: TemplateInput.self, context: context)
        let content = try Self.validated(input, eventType: key.eventType, channel: key.channel)
        let existing = try await dependencies.inTenant(tenant) { connection -> TemplateRepository.Stored? in
            try await TemplateRepository(connection).find(eventType: key.eventType, channel: key.channel, locale: key.locale ?? "en")
        }
        guard (existing?.version ?? 0) == version else {
            throw ProblemDetails.preconditionFailed(detail: "The template changed since you read it.")
        }
        let saved = try await dependencies.inTenant(tenant) {
            try await TemplateRepository($0).save(eventType: key.eventType, channel: key.channel, locale: key.locale ?? "en", content: content,
                                                  tenant: tenant, expectedVersion: existing == nil ? nil : version)
        }
        guard let saved else { throw ProblemDetails.preconditionFailed(detail: "The template changed since you read it.") }
        var response = EditedResponse(headers: .etag(saved.version), response: TemplateResponse(saved))
        if existing == nil { response.status = .created }
        return response
    }

    /// Removes the tenant's template (the built-in one applies again).
    @Sendable func delete(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let tenant = try context.require("notification.template.manage").tenantID
        let key = try TemplateKey(context, personalOnly: true, withLocale: true)
        let deleted = try await dependencies.inTenant(tenant) { connection -> Bool in
            let templates = TemplateRepository(connection)
            guard let stored = try await templates.find(eventType: key.eventType, channel: key.channel, locale: key.locale ?? "en") else { return false }
            return try await templates.delete(stored.id)
        }
        guard deleted else { throw ProblemDetails.notFound() }
        return .noContent
    }

    @Sendable func preview(_ request: Request, context: ERPRequestContext) async throws -> RenderedMessage {
        let tenant = try context.require("notification.template.read").tenantID
        let input = try await request.decode(as: PreviewInput.self, context: context)
        guard let eventType = input.eventType, let entry = NotificationCatalogue.entry(eventType) else {
            throw ProblemDetails.validation([.invalid("eventType", message: "One of the types GET /v1/event-types lists.")])
        }
        let channel = input.channel ?? .email
        guard channel != .webhook else { throw ProblemDetails.validation([.invalid("channel", message: "One of email, in_app, sms.")]) }
        let content: TemplateContent
        if let template = input.template {
            content = try Self.validated(template, eventType: eventType, channel: channel)
        } else {
            let found = try await dependencies.inTenant(tenant) { connection in
                try await DeliveryPlanner(connection: connection, configuration: dependencies.configuration, now: dependencies.clock.now())
                    .template(eventType, channel: channel, locale: input.locale ?? "en")
            }
            guard let found else { throw ProblemDetails.notFound(detail: "No template for \(eventType) on \(channel.rawValue).") }
            content = found
        }
        var variables = entry.sampleVariables
        for (name, value) in input.data ?? [:] where variables[name] != nil { variables[name] = value }
        return try TemplateRenderer.render(content, variables: variables)
    }

    /// The content, or a 422 listing every problem (missing parts, syntax, unknown variables).
    static func validated(_ input: TemplateInput, eventType: String, channel: Channel) throws -> TemplateContent {
        guard let entry = NotificationCatalogue.entry(eventType) else {
            throw ProblemDetails.validation([.invalid("eventType", message: "Templates exist for the types GET /v1/event-types lists.")])
        }
        var issues: [FieldIssue] = []
        let subject = input.subject ?? ""
        let text = input.text ?? ""
        if channel != .sms, subject.trimmingCharacters(in: .whitespaces).isEmpty || subject.count > 500 {
            issues.append(.invalid("subject", message: "1 to 500 characters."))
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || text.count > 100_000 { issues.append(.invalid("text", message: "1 to 100000 characters.")) }
        if channel != .email, input.html != nil { issues.append(.invalid("html", message: "Only email templates have an HTML part.")) }
        if let html = input.html, html.count > 200_000 { issues.append(.invalid("html", message: "At most 200000 characters.")) }
        let content = TemplateContent(subject: subject, text: text, html: input.html)
        if issues.isEmpty { issues = TemplateRenderer.problems(in: content, declared: entry.sampleVariables) }
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        return content
    }
}

extension RenderedMessage: ResponseCodable {}
