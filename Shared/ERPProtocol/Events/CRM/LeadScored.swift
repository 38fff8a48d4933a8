import Foundation

/// The payload of `erp.crm.lead.scored`: a lead's score was (re)computed because its scoring
/// inputs changed. Five criteria of 0–20 points each add up to `score` (0–100).
public struct LeadScored: Codable, Sendable, Hashable {
    /// One criterion's points and why.
    public struct Criterion: Codable, Sendable, Hashable {
        /// `budget`, `timeline`, `technical_complexity`, `decision_authority`, `industry_fit`.
        public var name: String
        public var points: Int
        public var reason: String

        public init(name: String, points: Int, reason: String) {
            self.name = name
            self.points = points
            self.reason = reason
        }
    }

    public var leadId: UUID
    public var score: Int
    public var previousScore: Int?
    /// `IMMEDIATE`, `HIGH`, `MEDIUM` or `LOW`.
    public var priority: String
    public var criteria: [Criterion]
    public var recommendedAction: String
    /// Which scorer produced it, e.g. `rules-v1`.
    public var scorer: String

    public init(
        leadId: UUID, score: Int, previousScore: Int?, priority: String, criteria: [Criterion], recommendedAction: String, scorer: String
    ) {
        self.leadId = leadId
        self.score = score
        self.previousScore = previousScore
        self.priority = priority
        self.criteria = criteria
        self.recommendedAction = recommendedAction
        self.scorer = scorer
    }
}
