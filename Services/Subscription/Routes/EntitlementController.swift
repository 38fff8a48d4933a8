import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// What an organization may use: its own view, and the one the gateway and services ask for.
struct EntitlementController {
    let dependencies: SubscriptionDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/entitlements", use: own)
        router.get("/v1/organizations/:id/entitlements", use: ofOrganization)
    }

    @Sendable func own(_ request: Request, context: ERPRequestContext) async throws -> OrganizationEntitlements {
        let tenant = try context.require("subscription.entitlement.read").tenantID
        return try await dependencies.entitlements(of: tenant)
    }

    /// For the platform's services (a token without an organization) about any organization, and
    /// for an organization's own callers about itself; any other organization is a 404.
    @Sendable func ofOrganization(_ request: Request, context: ERPRequestContext) async throws -> OrganizationEntitlements {
        let identity = try context.requireIdentity()
        let tenant = TenantID(try request.uuidParameter("id", context: context))
        if !identity.claims.isPlatform {
            guard identity.tenantID == tenant else { throw ProblemDetails.notFound() }
            try context.require("subscription.entitlement.read")
        }
        return try await dependencies.entitlements(of: tenant)
    }
}

extension OrganizationEntitlements: ResponseEncodable {}
