import ERPProtocol
import Foundation

/// A person who can log in to one organization.
struct User: Sendable, Hashable, Codable {
    enum Status: String, Sendable, Hashable, Codable {
        case active
        case deactivated
    }

    var tenantID: TenantID
    var id: UserID
    var email: String
    var name: String
    var status: Status
    var passwordHash: String?
    var emailVerifiedAt: Date?
    var locale: String?
    var timezone: String?
    var totpEnabledAt: Date?
    var lastLoginAt: Date?
    var version: Int
    var createdAt: Date
    var updatedAt: Date

    var isActive: Bool { status == .active }
    var mfaEnabled: Bool { totpEnabledAt != nil }
}
