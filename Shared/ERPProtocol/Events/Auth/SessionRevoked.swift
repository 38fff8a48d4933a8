/// `erp.auth.session.revoked`: a login session ended before its time.
public struct SessionRevoked: Codable, Sendable, Hashable {
    public var sessionId: SessionID
    public var userId: UserID
    /// `logout`, `revoked`, `logout_all`, `refresh_token_reuse`, `password_reset`, `deactivated`.
    public var reason: String

    public init(sessionId: SessionID, userId: UserID, reason: String) {
        self.sessionId = sessionId
        self.userId = userId
        self.reason = reason
    }
}
