import ERPProtocol

/// Where a service learns what an organization's plan allows. The subscription service is the
/// real source; until it answers, a service is configured with a static one. A configured
/// source is always asked — a limit is never skipped because the answer was inconvenient — and
/// a source that cannot answer throws, so the caller refuses rather than guesses.
public protocol EntitlementSource: Sendable {
    /// The limit of `metric` (e.g. ``EntitlementMetric/users``) for `tenant`; nil is unlimited.
    func limit(_ metric: EntitlementMetric, tenant: TenantID) async throws -> Int?
}

/// The same limits for every organization, from configuration (e.g. `AUTH_USER_LIMIT`).
public struct StaticEntitlementSource: EntitlementSource {
    public let limits: [EntitlementMetric: Int]

    public init(limits: [EntitlementMetric: Int]) {
        self.limits = limits
    }

    public func limit(_ metric: EntitlementMetric, tenant: TenantID) async throws -> Int? {
        limits[metric]
    }
}
