import Foundation

/// `erp.auth.user.invited`: someone was invited to the organization. Carries the single-use
/// accept token (and the front-end link holding it) so the notification service can mail it;
/// only a hash of the token is stored by auth.
public struct UserInvited: Codable, Sendable, Hashable {
    public var invitationId: String
    public var email: String
    public var organizationName: String
    public var invitedBy: UserID?
    public var roles: [String]
    public var acceptToken: String
    public var acceptUrl: String
    public var expiresAt: Date

    public init(
        invitationId: String, email: String, organizationName: String, invitedBy: UserID?, roles: [String],
        acceptToken: String, acceptUrl: String, expiresAt: Date
    ) {
        self.invitationId = invitationId
        self.email = email
        self.organizationName = organizationName
        self.invitedBy = invitedBy
        self.roles = roles
        self.acceptToken = acceptToken
        self.acceptUrl = acceptUrl
        self.expiresAt = expiresAt
    }
}
