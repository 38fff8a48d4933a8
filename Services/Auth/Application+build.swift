import ERPPostgres
import ERPServiceKit
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// Wires erp-auth: migrations, dependencies, routes and background services.
enum AuthApplication {
    /// Routes that need no token (sign-up, login, token endpoints, links from mails, JWKS).
    static let publicPaths = PublicPaths.standard.adding(exact: [
        "/v1/organizations", "/v1/sessions", "/v1/tokens/refresh", "/v1/oauth/token", "/v1/logout", "/v1/invitations/accept",
        "/v1/password-reset", "/v1/password-reset/confirm", "/v1/email-verification/confirm", "/.well-known/jwks.json",
    ])

    /// POSTs whose responses carry a secret shown once (tokens, API keys, client secrets, TOTP
    /// secrets, recovery codes): `Idempotency-Key` does not apply, so no secret is kept in Redis.
    /// Repeating them is harmless (another session) or refused (409 on a taken slug or name).
    static func returnsSecret(_ path: String) -> Bool {
        ["/v1/organizations", "/v1/sessions", "/v1/tokens/refresh", "/v1/oauth/token", "/v1/invitations/accept",
         "/v1/service-accounts", "/v1/api-keys", "/v1/me/mfa/totp", "/v1/me/mfa/totp/confirm", "/v1/me/mfa/recovery-codes"].contains(path)
            || (path.hasPrefix("/v1/service-accounts/") && path.hasSuffix("/secret"))
    }

    struct MissingDependency: Error, CustomStringConvertible {
        let description: String
    }

    /// The service's OpenAPI document (a bundled resource).
    static var openAPIURL: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }

    static func migrations() throws -> [PostgresMigration] {
        try PostgresMigrator.load(bundle: .module)
    }

    static func makeRouter(
        dependencies: AuthDependencies, readiness: [ReadinessCheck] = [], metrics: PrometheusCollectorRegistry? = nil
    ) -> Router<ERPRequestContext> {
        let router = ServiceRouter.make(verifier: dependencies.verifier, publicPaths: publicPaths, readiness: readiness, metrics: metrics)
        router.add(middleware: SessionLivenessMiddleware(sessions: dependencies.sessions))
        router.add(middleware: IdempotencyMiddleware(store: dependencies.idempotency, exempt: returnsSecret))
        WellKnownController(dependencies: dependencies).addRoutes(to: router)
        OpenAPIDocumentController(document: openAPIURL).addRoutes(to: router)
        RegistrationController(dependencies: dependencies).addRoutes(to: router)
        OrganizationController(dependencies: dependencies).addRoutes(to: router)
        LoginController(dependencies: dependencies).addRoutes(to: router)
        TokenController(dependencies: dependencies).addRoutes(to: router)
        SessionController(dependencies: dependencies).addRoutes(to: router)
        UserSessionController(dependencies: dependencies).addRoutes(to: router)
        MeController(dependencies: dependencies).addRoutes(to: router)
        MFAController(dependencies: dependencies).addRoutes(to: router)
        PasswordResetController(dependencies: dependencies).addRoutes(to: router)
        UserController(dependencies: dependencies).addRoutes(to: router)
        InvitationController(dependencies: dependencies).addRoutes(to: router)
        RoleController(dependencies: dependencies).addRoutes(to: router)
        CredentialController(dependencies: dependencies).addRoutes(to: router)
        AuditController(dependencies: dependencies).addRoutes(to: router)
        return router
    }

    /// The user limit source: erp-subscription's entitlements when `SUBSCRIPTION_URL` is set
    /// (asked with a platform token this service signs for itself), else `AUTH_USER_LIMIT`.
    static func entitlements(
        configuration: AuthConfiguration, tokens: TokenIssuer, runtime: ServiceRuntime
    ) -> (any EntitlementSource)? {
        if let url = configuration.service.subscriptionURL {
            return EntitlementClient(subscriptionURL: url, httpClient: runtime.httpClient, logger: runtime.logger) {
                try await tokens.accessToken(subject: "svc_auth", tenant: .platform, roles: ["platform_service"], permissions: [], session: nil, kind: .service)
            }
        }
        let logger = runtime.logger
        if let limit = configuration.userLimit {
            return StaticEntitlementSource(limits: [.users: limit])
        }
        logger.warning("no entitlement source configured: organizations have no user limit")
        return nil
    }

    /// Runs the service until SIGTERM.
    static func run(configuration: AuthConfiguration) async throws {
        let runtime = try ServiceRuntime(configuration: configuration.service)
        guard let pool = runtime.postgres, let redis = runtime.redis else {
            throw MissingDependency(description: "erp-auth needs POSTGRES_URL and REDIS_URL")
        }
        try await runtime.migrate(migrations())
        var dependencies = try AuthDependencies(configuration: configuration, pool: pool, redis: redis, entitlements: nil, logger: runtime.logger)
        dependencies.entitlements = entitlements(configuration: configuration, tokens: dependencies.tokens, runtime: runtime)
        try await dependencies.keys.prepare()
        let router = makeRouter(dependencies: dependencies, readiness: runtime.readinessChecks, metrics: runtime.metrics)
        var services: [any Service] = [SigningKeyRotator(store: dependencies.keys, checkInterval: .seconds(600), logger: runtime.logger)]
        if let relay = runtime.makeOutboxRelay() { services.append(relay) }
        try await runtime.run(router: router, services: services)
        dependencies.hashing.shutdown()
    }
}
