import ERPCrypto
import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Tenant webhook endpoints. The signing secret (`whsec_…`) is returned once, at creation;
/// deliveries carry `ERP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
struct WebhookController {
    let dependencies: NotificationDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/webhooks", use: list)
        router.post("/v1/webhooks", use: create)
        router.get("/v1/webhooks/:id", use: show)
        router.put("/v1/webhooks/:id", use: update)
        router.delete("/v1/webhooks/:id", use: delete)
    }

    struct EndpointResponse: ResponseCodable {
        var id: UUID
        var url: String
        var eventTypes: [String]
        var enabled: Bool
        var consecutiveFailures: Int
        var disabledAt: Date?
        var disabledReason: String?
        var version: Int
        var createdAt: Date
        /// Only in the answer to the creation.
        var secret: String?

        /// `secret` only in the answer to the creation: afterwards it exists only sealed.
        init(_ endpoint: WebhookEndpoint, secret: String? = nil) {
            id = endpoint.id
            url = endpoint.url
            eventTypes = endpoint.eventTypes
            enabled = endpoint.enabled
            consecutiveFailures = endpoint.consecutiveFailures
            disabledAt = endpoint.disabledAt
            disabledReason = endpoint.disabledReason
            version = endpoint.version
            createdAt = endpoint.createdAt
            self.secret = secret
        }
    }

    struct EndpointList: ResponseCodable {
        var items: [EndpointResponse]
    }

    struct EndpointInput: Decodable {
        var url: String?
        var eventTypes: [String]?
        var enabled: Bool?
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> EndpointList {
        let tenant = try context.require("notification.webhook.read").tenantID
        return EndpointList(items: try await dependencies.inTenant(tenant) { try await WebhookRepository($0).all() }.map { EndpointResponse($0) })
    }

    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<EndpointResponse> {
        let tenant = try context.require("notification.webhook.read").tenantID
        let id = try request.uuidParameter("id", context: context)
        guard let endpoint = try await dependencies.inTenant(tenant, { try await WebhookRepository($0).find(id) }) else { throw ProblemDetails.notFound() }
        return EditedResponse(headers: .etag(endpoint.version), response: EndpointResponse(endpoint))
    }

    @Sendable func create(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<EndpointResponse> {
        let tenant = try context.require("notification.webhook.manage").tenantID
        let input = try await request.decode(as: EndpointInput.self, context: context)
        let (url, types) = try await validated(input)
        let id = UUID()
        let secret = "whsec_" + SecureRandom.token()
        let endpoint = WebhookEndpoint(
            id: id, url: url, eventTypes: types, sealedSecret: try WebhookEndpoint.sealSecret(secret, endpoint: id, with: dependencies.secrets),
            enabled: input.enabled ?? true, consecutiveFailures: 0, disabledAt: nil, disabledReason: nil, version: 1, createdAt: dependencies.clock.now()
        )
        let saved = try await dependencies.inTenant(tenant) { connection -> WebhookEndpoint? in
            let repository = WebhookRepository(connection)
            try await repository.create(endpoint, tenant: tenant)
            return try await repository.find(endpoint.id)
        }
        guard let saved else { throw ProblemDetails.internalError() }
        var headers = HTTPFields.etag(saved.version)
        headers[.location] = "/v1/webhooks/\(saved.id.uuidString.lowercased())"
        return EditedResponse(status: .created, headers: headers, response: EndpointResponse(saved, secret: secret))
    }

    /// Replaces URL, event types and `enabled` (enabling a disabled endpoint resets its failures); `If-Match` required.
    @Sendable func update(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<EndpointResponse> {
        let tenant = try context.require("notification.webhook.manage").tenantID
        let id = try request.uuidParameter("id", context: context)
        let version = try request.requiredVersion()
        let input = try await request.decode(as: EndpointInput.self, context: context)
        let (url, types) = try await validated(input)
        let result = try await dependencies.inTenant(tenant) { connection -> (Bool, WebhookEndpoint?) in
            let repository = WebhookRepository(connection)
            guard try await repository.find(id) != nil else { return (false, nil) }
            return (true, try await repository.update(id, url: url, eventTypes: types, enabled: input.enabled ?? true, expectedVersion: version))
        }
        guard result.0 else { throw ProblemDetails.notFound() }
        guard let saved = result.1 else { throw ProblemDetails.preconditionFailed(detail: "The endpoint changed since you read it.") }
        return EditedResponse(headers: .etag(saved.version), response: EndpointResponse(saved))
    }

    @Sendable func delete(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let tenant = try context.require("notification.webhook.manage").tenantID
        let id = try request.uuidParameter("id", context: context)
        guard try await dependencies.inTenant(tenant, { try await WebhookRepository($0).delete(id) }) else { throw ProblemDetails.notFound() }
        return .noContent
    }

    /// Also refuses URLs whose host is or resolves to a non-public address (`WebhookTargetPolicy`).
    func validated(_ input: EndpointInput) async throws -> (String, [String]) {
        var issues: [FieldIssue] = []
        let url = (input.url ?? "").trimmingCharacters(in: .whitespaces)
        let components = URLComponents(string: url)
        if url.count > 2000 || components?.host?.isEmpty != false || !["https", "http"].contains(components?.scheme?.lowercased() ?? "")
            || components?.user != nil
        {
            issues.append(.invalid("url", message: "An absolute http(s) URL without credentials, at most 2000 characters."))
        } else if let refusal = await dependencies.webhookTargets.refusal(for: url) {
            issues.append(.invalid("url", message: "Not an allowed webhook target: \(refusal)."))
        }
        let types = Array(Set(input.eventTypes ?? [])).sorted()
        if types.isEmpty || types.count > 100 || !types.allSatisfy({ $0 == "*" || (try? EventType($0)) != nil }) {
            issues.append(.invalid("eventTypes", message: "1 to 100 event types (erp.<service>.<aggregate>.<verb>) or \"*\" for all."))
        }
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        return (url, types)
    }
}
