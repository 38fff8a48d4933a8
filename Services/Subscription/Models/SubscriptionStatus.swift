import Foundation

/// Where a subscription is in its life. Transitions are checked against ``canMove(to:)``; every
/// transition is recorded and published as an event.
enum SubscriptionStatus: String, Codable, Sendable, CaseIterable {
    case trialing
    case active
    case pastDue = "past_due"
    case unpaid
    case canceled

    /// Allowed moves. Unpaid and past-due subscriptions return to active when paid; a canceled
    /// one can be restarted (reactivated) into active or a fresh trial is never offered again.
    func canMove(to next: SubscriptionStatus) -> Bool {
        switch (self, next) {
        case (.trialing, .active), (.trialing, .pastDue), (.trialing, .canceled), (.trialing, .trialing):
            return true
        case (.active, .pastDue), (.active, .canceled), (.active, .active):
            return true
        case (.pastDue, .active), (.pastDue, .unpaid), (.pastDue, .canceled), (.pastDue, .pastDue):
            return true
        case (.unpaid, .active), (.unpaid, .canceled), (.unpaid, .unpaid):
            return true
        case (.canceled, .active):
            return true
        default:
            return false
        }
    }

    /// Unpaid and canceled organizations keep their data readable but may not change it.
    var isReadOnly: Bool { self == .unpaid || self == .canceled }
}
