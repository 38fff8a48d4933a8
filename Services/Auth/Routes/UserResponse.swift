import ERPProtocol
import Foundation
import Hummingbird

/// A user as the API shows it (never the password hash or MFA secrets).
struct UserResponse: ResponseCodable, Sendable, Hashable {
    var id: UserID
    var organizationId: TenantID
    var email: String
    var name: String
    var status: User.Status
    var emailVerified: Bool
    var mfaEnabled: Bool
    var roles: [String]
    var locale: String?
    var timezone: String?
    var lastLoginAt: Date?
    var createdAt: Date
    var updatedAt: Date
    var version: Int

    init(_ user: User, roles: [String]) {
        id = user.id
        organizationId = user.tenantID
        email = user.email
        name = user.name
        status = user.status
        emailVerified = user.emailVerifiedAt != nil
        mfaEnabled = user.mfaEnabled
        self.roles = roles.sorted()
        locale = user.locale
        timezone = user.timezone
        lastLoginAt = user.lastLoginAt
        createdAt = user.createdAt
        updatedAt = user.updatedAt
        version = user.version
    }
}

extension TokenResponse: ResponseCodable {}
