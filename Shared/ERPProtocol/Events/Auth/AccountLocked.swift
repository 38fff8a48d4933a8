import Foundation

/// `erp.auth.account.locked`: too many failed logins; the account refuses logins until
/// `lockedUntil`.
public struct AccountLocked: Codable, Sendable, Hashable {
    public var userId: UserID
    public var email: String
    public var failedAttempts: Int
    public var lockedUntil: Date

    public init(userId: UserID, email: String, failedAttempts: Int, lockedUntil: Date) {
        self.userId = userId
        self.email = email
        self.failedAttempts = failedAttempts
        self.lockedUntil = lockedUntil
    }
}
