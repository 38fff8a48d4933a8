import ERPProtocol
import Foundation

/// A long-lived, scoped credential for an integration, exchanged for short-lived access tokens.
/// Only its hash is stored; the key itself is shown once, at creation.
struct APIKey: Sendable, Hashable {
    var id: UUID
    var name: String
    var displayPrefix: String
    var permissions: PermissionSet
    var createdBy: UserID?
    var createdAt: Date
    var expiresAt: Date?
    var revokedAt: Date?
    var lastUsedAt: Date?

    func isUsable(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? true)
    }
}
