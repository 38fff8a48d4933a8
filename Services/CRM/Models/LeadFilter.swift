/// Lead list filters beyond the shared ones.
struct LeadFilter: Sendable, Equatable {
    var status: LeadStatus?
    var source: LeadSource?
    /// The priority of the lead's current score.
    var priority: LeadPriority?
    /// Leads scoring at least this (0–100).
    var minScore: Int?
}
