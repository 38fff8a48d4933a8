import ERPProtocol

/// Where a service learns what an organization's plan allows. The subscription service is the
/// real source; until it answers, a service is configured with a static one. A configured
/// source is always asked — a limit is never skipped because the answer was inconvenient — and
/// a source that cannot answer throws, so the caller refuses rather than guesses.
public protocol EntitlementSource: Sendable {
    /// The limit of `metric` (e.g. ``EntitlementMetric/users``) for `tenant`; nil is unlimited.
    func limit(_ metric: EntitlementMetric, tenant: TenantID) async throws -> Int?
}

/// A metered or capped quantity of a plan.
public struct EntitlementMetric: RawRepresentable, Hashable, Sendable, Codable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Active users (plus open invitations) of an organization.
    public static let users = EntitlementMetric(rawValue: "users")
    /// Bytes of stored files.
    public static let storageBytes = EntitlementMetric(rawValue: "storage_bytes")
    /// AI queries per billing period.
    public static let aiQueries = EntitlementMetric(rawValue: "ai_queries")
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
