/// Which limits apply to a request: an authenticated caller counts against its organization
/// (plan allowance) and itself; an anonymous caller on a public route against its IP address,
/// tighter on login, sign-up, reset and token routes.
struct RateLimitPolicy: Sendable {
    let settings: RateLimitSettings
    let organizations: any OrganizationLimitSource

    func rules(identity: CallerIdentity?, clientIP: String, route: ResolvedRoute) -> [RateLimitRule] {
        let prefix = settings.keyPrefix
        let window = settings.windowSeconds
        if let identity {
            return [
                RateLimitRule(
                    key: identity.organizationLimitKey,
                    limit: organizations.requestsPerWindow(organization: identity.organization), windowSeconds: window),
                RateLimitRule(key: identity.subjectLimitKey, limit: settings.perUser, windowSeconds: window),
            ]
        }
        if route.isSensitive {
            return [RateLimitRule(key: "\(prefix):ip-auth:\(clientIP)", limit: settings.perIPSensitive, windowSeconds: window)]
        }
        return [RateLimitRule(key: "\(prefix):ip:\(clientIP)", limit: settings.perIP, windowSeconds: window)]
    }
}
