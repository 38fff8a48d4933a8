import Foundation

/// If `triggerEventType` gets no follow-up (`resolveEventTypes`, same event subject) within
/// `afterSeconds`, `chain[0]` is told; after another period `chain[1]`, and so on.
struct EscalationRule: Sendable, Equatable {
    var id: UUID
    var triggerEventType: String
    var resolveEventTypes: [String]
    var afterSeconds: Int
    var chain: [UUID]
    var channels: [Channel]
    var enabled: Bool
    var createdAt: Date
}
