import ERPProtocol
import Foundation

/// When the lead plans to buy.
enum PurchaseTimeline: String, Sendable, Hashable, Codable, CaseIterable {
    case immediate
    case withinThreeMonths = "within_3_months"
    case withinSixMonths = "within_6_months"
    case withinTwelveMonths = "within_12_months"
    case later
    case unknown
}

/// How hard the lead's requirements are to deliver.
enum TechnicalComplexity: String, Sendable, Hashable, Codable, CaseIterable {
    case low, medium, high, unknown
}

/// The lead's say in the purchase.
enum DecisionRole: String, Sendable, Hashable, Codable, CaseIterable {
    case decisionMaker = "decision_maker"
    case influencer
    case endUser = "end_user"
    case unknown
}

/// What a lead is scored on. Changing any of these re-scores the lead.
struct LeadScoringInput: Sendable, Hashable, Codable {
    var budget: Money?
    var purchaseTimeline: PurchaseTimeline
    var technicalComplexity: TechnicalComplexity
    var decisionRole: DecisionRole
    var industry: String?
}

/// How urgently a lead should be worked, from its total score.
enum LeadPriority: String, Sendable, Hashable, Codable, CaseIterable {
    case immediate = "IMMEDIATE"
    case high = "HIGH"
    case medium = "MEDIUM"
    case low = "LOW"

    /// 80–100 IMMEDIATE, 60–79 HIGH, 40–59 MEDIUM, 0–39 LOW.
    init(score: Int) {
        switch score {
        case 80...: self = .immediate
        case 60..<80: self = .high
        case 40..<60: self = .medium
        default: self = .low
        }
    }
}

/// One criterion's contribution to a score.
struct ScoreCriterion: Sendable, Hashable, Codable {
    /// `budget`, `timeline`, `technical_complexity`, `decision_authority`, `industry_fit`.
    var name: String
    /// 0–20.
    var points: Int
    var reason: String
}

/// A computed lead score: five criteria of 0–20 points, their total (0–100), the priority and
/// what to do next.
struct LeadScore: Sendable, Hashable, Codable {
    var scorer: String
    var total: Int
    var priority: LeadPriority
    var criteria: [ScoreCriterion]
    var recommendedAction: String
}

/// Scores leads. The rule-based scorer below is the default; a model-backed one (erp-ai) can
/// replace it without touching the callers.
protocol LeadScorer: Sendable {
    /// Names the scorer and its version in stored scores, e.g. `rules-v1`.
    var name: String { get }
    func score(_ input: LeadScoringInput) -> LeadScore
}
