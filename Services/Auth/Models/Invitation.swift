import ERPProtocol
import Foundation

/// An invitation to join an organization, accepted once with the mailed token.
struct Invitation: Sendable, Hashable {
    enum State: String, Sendable, Codable {
        case pending, accepted, revoked, expired
    }

    var id: UUID
    var email: String
    var roleIDs: [RoleID]
    var invitedBy: UserID?
    var expiresAt: Date
    var acceptedAt: Date?
    var revokedAt: Date?
    var createdAt: Date

    func state(at now: Date) -> State {
        if acceptedAt != nil { return .accepted }
        if revokedAt != nil { return .revoked }
        return expiresAt <= now ? .expired : .pending
    }
}
