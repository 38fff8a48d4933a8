import Foundation

/// The payload of `erp.auth.password_reset.requested` and
/// `erp.auth.email_verification.requested`: a single-use token (and the front-end link holding
/// it) for the notification service to mail to `email`. Auth stores only its hash.
public struct UserTokenIssued: Codable, Sendable, Hashable {
    public var userId: UserID
    public var email: String
    public var name: String
    public var token: String
    public var url: String
    public var expiresAt: Date

    public init(userId: UserID, email: String, name: String, token: String, url: String, expiresAt: Date) {
        self.userId = userId
        self.email = email
        self.name = name
        self.token = token
        self.url = url
        self.expiresAt = expiresAt
    }
}
