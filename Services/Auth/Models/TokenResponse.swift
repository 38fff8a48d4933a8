import ERPProtocol

/// A token answer (login, refresh, client credentials), shaped like OAuth 2's token response
/// in camelCase. Refresh and session fields are absent for machine clients.
struct TokenResponse: Codable, Sendable, Hashable {
    var accessToken: String
    var tokenType: String
    var expiresIn: Int
    var refreshToken: String?
    var refreshExpiresIn: Int?
    var sessionId: SessionID?
    var userId: UserID?
    var organizationId: TenantID
}
