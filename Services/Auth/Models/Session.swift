import ERPProtocol
import Foundation

/// A login session: one device's refresh-token family, kept in Redis.
struct Session: Sendable, Hashable {
    var id: SessionID
    var tenantID: TenantID
    var userID: UserID
    var createdAt: Date
    var lastUsedAt: Date
    var ip: String
    var userAgent: String
    /// Whether the login passed a second factor.
    var mfa: Bool
}
