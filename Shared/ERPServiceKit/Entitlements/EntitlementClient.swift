import AsyncHTTPClient
import ERPProtocol
import Foundation
import Logging
import Synchronization

/// What an organization's plan allows, asked of erp-subscription
/// (`GET /v1/organizations/{id}/entitlements`) with the service's own platform token, and
/// kept in memory briefly so a burst of checks costs one call. Answers "may this organization
/// do X / add N more of Y" with the suite's standard 403 problems.
///
/// When the subscription service cannot answer, the checks throw (503) rather than guess: a
/// limit is never skipped because its source was down.
public final class EntitlementClient: EntitlementSource {
    private let client: ServiceClient
    private let token: @Sendable () async throws -> String
    private let cacheTTL: Duration
    private let newOrganizationWait: Duration
    private let cache = Mutex<[TenantID: (OrganizationEntitlements, ContinuousClock.Instant)]>([:])

    /// - Parameters:
    ///   - client: a ``ServiceClient`` for erp-subscription.
    ///   - token: the caller's platform token (e.g. `PlatformTokenProvider.token()`).
    ///   - cacheTTL: how long an answer is reused; zero asks every time.
    ///   - newOrganizationWait: how long a 404 (no subscription yet) is asked again. An
    ///     organization's subscription starts when erp-subscription consumes
    ///     `organization.created`, usually within a fraction of a second of sign-up; an owner
    ///     who invites someone at once should not get a 503 for that gap.
    public init(
        client: ServiceClient, token: @escaping @Sendable () async throws -> String, cacheTTL: Duration = .seconds(5),
        newOrganizationWait: Duration = .seconds(2)
    ) {
        self.client = client
        self.token = token
        self.cacheTTL = cacheTTL
        self.newOrganizationWait = newOrganizationWait
    }

    /// A client of erp-subscription at `subscriptionURL` (`SUBSCRIPTION_URL`).
    public convenience init(
        subscriptionURL: String, httpClient: HTTPClient, logger: Logger, token: @escaping @Sendable () async throws -> String
    ) {
        let client = ServiceClient(service: ServiceName.subscription.rawValue, configuration: .init(baseURL: subscriptionURL), httpClient: httpClient, logger: logger)
        self.init(client: client, token: token)
    }

    /// The organization's entitlements (from the short in-memory cache when fresh).
    public func entitlements(of tenant: TenantID) async throws -> OrganizationEntitlements {
        let now = ContinuousClock.now
        if let (cached, expires) = cache.withLock({ $0[tenant] }), now < expires { return cached }
        let caller = CallerContext(bearerToken: try await token())
        let fresh = try await fetch(tenant, caller: caller)
        cache.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[tenant] = (fresh, now + cacheTTL)
        }
        return fresh
    }

    /// Asks again (the kit's backoff with jitter) while the answer is 404 and
    /// `newOrganizationWait` has not passed.
    private func fetch(_ tenant: TenantID, caller: CallerContext) async throws -> OrganizationEntitlements {
        let giveUp = ContinuousClock.now + newOrganizationWait
        let backoff = RetryPolicy(maxAttempts: .max, baseDelay: .milliseconds(100), maxDelay: .milliseconds(500))
        var attempt = 1
        while true {
            do {
                return try await client.get("/v1/organizations/\(tenant)/entitlements", as: OrganizationEntitlements.self, caller: caller)
            } catch let error as ServiceClientError where error.kind == .status(404) && ContinuousClock.now < giveUp {
                try await Task.sleep(for: backoff.delay(afterAttempt: attempt))
                attempt += 1
            }
        }
    }

    public func limit(_ metric: EntitlementMetric, tenant: TenantID) async throws -> Int? {
        try await entitlements(of: tenant).usage(of: metric)?.limit.map { Int(clamping: $0) }
    }

    /// Throws 403 `subscription_read_only` when the organization may not change anything
    /// (unpaid or canceled subscription).
    public func requireWritable(_ tenant: TenantID) async throws {
        let entitlements = try await entitlements(of: tenant)
        if entitlements.readOnly { throw Self.readOnly(entitlements) }
    }

    /// Throws 403 `feature_not_in_plan` unless the plan includes `feature` (and the organization may write).
    public func requireFeature(_ feature: String, tenant: TenantID) async throws {
        let entitlements = try await entitlements(of: tenant)
        if entitlements.readOnly { throw Self.readOnly(entitlements) }
        guard entitlements.features.contains(feature) else {
            throw ProblemDetails(code: "feature_not_in_plan", status: 403, title: "Not in your plan",
                                 detail: "The \(entitlements.plan.name) plan does not include \(feature); upgrade to use it.")
        }
    }

    /// Throws 403 `plan_limit_exceeded` unless `amount` more of `metric` fit the plan (always
    /// fits when unlimited or billed as overage).
    public func requireCapacity(adding amount: Int64, of metric: EntitlementMetric, tenant: TenantID) async throws {
        let entitlements = try await entitlements(of: tenant)
        if entitlements.readOnly { throw Self.readOnly(entitlements) }
        guard let usage = entitlements.usage(of: metric), !usage.allows(adding: amount) else { return }
        throw ProblemDetails.planLimitExceeded(
            detail: "The \(entitlements.plan.name) plan allows \(usage.limit ?? 0) \(metric.rawValue); \(usage.usage) are used. Upgrade for more."
        )
    }

    /// Forgets what is cached for `tenant` (e.g. on `erp.subscription.entitlements.changed`).
    public func invalidate(_ tenant: TenantID) {
        _ = cache.withLock { $0.removeValue(forKey: tenant) }
    }

    private static func readOnly(_ entitlements: OrganizationEntitlements) -> ProblemDetails {
        ProblemDetails(code: "subscription_read_only", status: 403, title: "Subscription inactive",
                       detail: "The subscription is \(entitlements.status); data can be read but not changed until it is paid.")
    }
}
