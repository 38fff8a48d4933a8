import Foundation

/// One recorded move of a subscription (status and/or plan), for its history.
struct SubscriptionTransition: Codable, Sendable, Hashable {
    var fromStatus: String?
    var toStatus: String
    var fromPlan: String?
    var toPlan: String
    var reason: String
    /// Who caused it: a user id, `system:scheduler`, `event:<type>`, `provider:webhook`.
    var actor: String
    var occurredAt: Date
}
