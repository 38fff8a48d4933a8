import ERPProtocol
import Foundation

/// One security-relevant fact for the append-only audit log.
struct AuditEntry: Sendable, Hashable, Codable {
    enum Outcome: String, Sendable, Codable {
        case success, failure
    }

    enum ActorType: String, Sendable, Codable {
        case user, service, apiKey = "api_key", anonymous, system
    }

    var id: UUID = UUID()
    var occurredAt: Date = Date()
    var action: AuditAction
    var outcome: Outcome = .success
    var actorType: ActorType
    var actorID: String?
    var targetType: String?
    var targetID: String?
    var ip: String?
    var userAgent: String?
    var details: [String: String] = [:]
}

/// The audited actions; the strings are stable (admins filter on them).
struct AuditAction: RawRepresentable, Sendable, Hashable, Codable {
    let rawValue: String
    init(rawValue: String) { self.rawValue = rawValue }
    init(_ rawValue: String) { self.rawValue = rawValue }

    static let organizationCreated = AuditAction("organization.created")
    static let organizationUpdated = AuditAction("organization.updated")
    static let loginSucceeded = AuditAction("login.succeeded")
    static let loginFailed = AuditAction("login.failed")
    static let accountLocked = AuditAction("account.locked")
    static let logout = AuditAction("session.logout")
    static let sessionRevoked = AuditAction("session.revoked")
    static let refreshTokenReused = AuditAction("session.refresh_token_reused")
    static let userInvited = AuditAction("user.invited")
    static let invitationRevoked = AuditAction("invitation.revoked")
    static let userCreated = AuditAction("user.created")
    static let userUpdated = AuditAction("user.updated")
    static let userDeactivated = AuditAction("user.deactivated")
    static let userReactivated = AuditAction("user.reactivated")
    static let emailVerified = AuditAction("user.email_verified")
    static let passwordChanged = AuditAction("password.changed")
    static let passwordResetRequested = AuditAction("password_reset.requested")
    static let passwordReset = AuditAction("password_reset.completed")
    static let mfaEnrollmentStarted = AuditAction("mfa.enrollment_started")
    static let mfaEnabled = AuditAction("mfa.enabled")
    static let mfaDisabled = AuditAction("mfa.disabled")
    static let recoveryCodeUsed = AuditAction("mfa.recovery_code_used")
    static let recoveryCodesRegenerated = AuditAction("mfa.recovery_codes_regenerated")
    static let roleCreated = AuditAction("role.created")
    static let roleUpdated = AuditAction("role.updated")
    static let roleDeleted = AuditAction("role.deleted")
    static let roleAssigned = AuditAction("role.assigned")
    static let roleUnassigned = AuditAction("role.unassigned")
    static let serviceAccountCreated = AuditAction("service_account.created")
    static let serviceAccountSecretRotated = AuditAction("service_account.secret_rotated")
    static let serviceAccountDeleted = AuditAction("service_account.deleted")
    static let serviceAccountTokenIssued = AuditAction("service_account.token_issued")
    static let apiKeyCreated = AuditAction("api_key.created")
    static let apiKeyRevoked = AuditAction("api_key.revoked")
    static let apiKeyUsed = AuditAction("api_key.token_issued")

    init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
