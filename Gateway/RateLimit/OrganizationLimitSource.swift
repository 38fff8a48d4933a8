/// Where an organization's request allowance comes from. Its plan's entitlements are the real
/// source; the subscription service does not exist yet, so the gateway is configured with a
/// default for everyone. A plan-aware source must answer synchronously on the hot path: keep the
/// allowances in memory and refresh them in the background (e.g. on `entitlements.changed`).
protocol OrganizationLimitSource: Sendable {
    /// Requests per window for `organization`.
    func requestsPerWindow(organization: String) -> Int
}

/// The same allowance for every organization (`GATEWAY_RATE_LIMIT_ORG`).
struct ConfiguredOrganizationLimits: OrganizationLimitSource {
    let limit: Int

    func requestsPerWindow(organization: String) -> Int { limit }
}
