import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// `GET /v1/organization`, `PATCH /v1/organization`: the caller's organization and its settings.
struct OrganizationController {
    let dependencies: AuthDependencies

    struct UpdateInput: Decodable {
        var name: String?
        var locale: String?
        var timezone: String?
        /// Raises the password minimum for this organization (never below the suite's).
        var passwordMinLength: Int?
    }

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/organization", use: show)
        router.patch("/v1/organization", use: update)
    }

    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<OrganizationResponse> {
        let tenant = try context.require("auth.organization.read").tenantID
        guard let organization = try await dependencies.inTenant(tenant, { try await OrganizationRepository($0).find(tenant) }) else {
            throw ProblemDetails.notFound()
        }
        return respond(OrganizationResponse(organization, policy: dependencies.configuration.passwordPolicy), headers: .etag(organization.version))
    }

    @Sendable func update(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<OrganizationResponse> {
        let identity = try context.require("auth.organization.manage")
        let tenant = identity.tenantID
        let version = try request.requiredVersion()
        let input = try await request.decode(as: UpdateInput.self, context: context)
        let policy = dependencies.configuration.passwordPolicy
        var issues: [FieldIssue] = []
        if let name = input.name, name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 200 {
            issues.append(.invalid("name", message: "Use 1–200 characters."))
        }
        if let locale = input.locale, !Locales.isValid(locale) { issues.append(.invalid("locale", message: "Use a language tag such as en or de-CH.")) }
        if let timezone = input.timezone, TimeZone(identifier: timezone) == nil { issues.append(.invalid("timezone", message: "Use an IANA time zone.")) }
        if let minimum = input.passwordMinLength, minimum < policy.minimumLength || minimum > policy.maximumLength {
            issues.append(.outOfRange("passwordMinLength", message: "Use \(policy.minimumLength) to \(policy.maximumLength)."))
        }
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        let client = context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor)
        let trace = context.trace
        let updated = try await dependencies.inTenant(tenant) { connection -> Organization in
            let organizations = OrganizationRepository(connection)
            guard var organization = try await organizations.find(tenant, forUpdate: true) else { throw ProblemDetails.notFound() }
            guard organization.version == version else { throw ProblemDetails.preconditionFailed(detail: "The organization changed since you read it.") }
            if let name = input.name { organization.name = name.trimmingCharacters(in: .whitespaces) }
            if let locale = input.locale { organization.locale = locale }
            if let timezone = input.timezone { organization.timezone = timezone }
            if let minimum = input.passwordMinLength { organization.passwordMinLength = minimum }
            let saved = try await organizations.update(organization)
            let recorder = ChangeRecorder(connection, tenant: tenant, trace: trace)
            try await recorder.audit(.by(identity, action: .organizationUpdated, client: client, targetType: "organization", targetID: tenant.description))
            try await recorder.emit(
                EventType.Auth.organizationUpdated, subject: tenant.description,
                OrganizationUpdated(organizationId: tenant, name: saved.name, locale: saved.locale, timezone: saved.timezone, version: saved.version)
            )
            return saved
        }
        return respond(OrganizationResponse(updated, policy: policy), headers: .etag(updated.version))
    }
}
