import Foundation

/// Which event type notifies whom on which channel. Built-in rules come from
/// `NotificationCatalogue`; a tenant's rule for the same event type and channel replaces it.
struct EventRule: Sendable, Equatable {
    var id: UUID?
    var eventType: String
    var channel: Channel
    var audience: Audience
    var enabled: Bool
    /// Sent whatever the recipient's opt-out and quiet hours say (password reset, invitation).
    var transactional: Bool
    var version: Int
    var createdAt: Date?

    var isBuiltIn: Bool { id == nil }
}
