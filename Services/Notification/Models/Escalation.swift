import Foundation

/// One item waiting for action under an escalation rule.
struct Escalation: Sendable, Equatable {
    enum Status: String, Sendable, Codable {
        case open
        case resolved
        case exhausted
    }

    var id: UUID
    var ruleID: UUID
    var subject: String
    var triggerEventID: UUID
    var triggerEventType: String
    /// How many people of the chain were told so far.
    var level: Int
    var status: Status
    var dueAt: Date
    var openedAt: Date
    var resolvedAt: Date?
}
