import ERPServiceKit
import Logging
import NIOCore

/// What every connection handler shares, read-only: routes, the token verifier, the rate-limit
/// policy, the gateway's own endpoints and settings.
struct GatewayShared: Sendable {
    let routes: RouteTable
    /// Nil only when authentication is switched off (tests of the proxy alone).
    let verifier: AccessTokenVerifier?
    /// Nil when rate limiting is off.
    let rateLimitPolicy: RateLimitPolicy?
    /// Plan entitlements (`SUBSCRIPTION_URL`): nil when the gateway does not know plans.
    let plans: PlanOrganizationLimits?
    let localEndpoints: LocalEndpoints
    /// The merged OpenAPI document and docs page (`/api/openapi.json`, `/docs`).
    let documents: OpenAPIAggregator
    let cors: CORSPolicy
    let logger: Logger
    let accessLog: Bool
    let maxBodyBytes: Int64
    let trustForwardedHeaders: Bool
    /// Keep-alive connections without a request for this long are closed.
    let clientIdleTimeout: TimeAmount
    /// WebSocket tunnels with no bytes either way for this long are closed (nil: never).
    let webSocketIdleTimeout: TimeAmount?

    /// Services an organization whose plan is read-only may still write to: auth (log out,
    /// manage users) and subscription (pay, change plan). Everything else refuses writes at the
    /// edge, so no service has to remember to check.
    static let writableWhenReadOnly: Set<String> = ["auth", "subscription"]
}
