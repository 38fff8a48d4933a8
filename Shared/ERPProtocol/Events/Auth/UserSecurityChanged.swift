/// The payload of `erp.auth.password.changed`, `erp.auth.mfa.enabled`, `erp.auth.mfa.disabled`
/// and `erp.auth.user.email_verified`: what happened to whose account, so the owner can be told.
public struct UserSecurityChanged: Codable, Sendable, Hashable {
    public var userId: UserID
    public var email: String
    /// Why, e.g. `changed`, `reset`, `totp`.
    public var reason: String

    public init(userId: UserID, email: String, reason: String) {
        self.userId = userId
        self.email = email
        self.reason = reason
    }
}
