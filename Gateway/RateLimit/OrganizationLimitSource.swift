/// Where an organization's request allowance comes from: its plan's entitlements
/// (`PlanOrganizationLimits`, with `SUBSCRIPTION_URL`) or one configured default for everyone.
/// A source answers synchronously on the hot path: it keeps allowances in memory and refreshes
/// them in the background.
protocol OrganizationLimitSource: Sendable {
    /// Requests per window for `organization`.
    func requestsPerWindow(organization: String) -> Int
}

/// The same allowance for every organization (`GATEWAY_RATE_LIMIT_ORG`).
struct ConfiguredOrganizationLimits: OrganizationLimitSource {
    let limit: Int

    func requestsPerWindow(organization: String) -> Int { limit }
}
