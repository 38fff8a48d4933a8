import ERPProtocol
import Foundation

/// The documented scoring table (docs/crm.md, "Lead scoring"): each criterion gives 0–20 points
/// from fixed rules; unknown inputs give 0, so missing information costs points and the
/// recommended action asks for it.
struct RuleBasedLeadScorer: LeadScorer {
    var name: String { "rules-v1" }

    /// Industries the suite's typical tenant sells to best (20 points).
    static let targetIndustries: Set<String> = ["software", "saas", "information_technology", "financial_services", "fintech"]
    /// Industries that fit reasonably (10 points).
    static let adjacentIndustries: Set<String> = [
        "manufacturing", "healthcare", "retail", "logistics", "professional_services", "telecommunications", "education", "media",
    ]

    func score(_ input: LeadScoringInput) -> LeadScore {
        let criteria = [budget(input.budget), timeline(input.purchaseTimeline), complexity(input.technicalComplexity),
                        authority(input.decisionRole), industry(input.industry)]
        let total = criteria.reduce(0) { $0 + $1.points }
        let priority = LeadPriority(score: total)
        return LeadScore(scorer: name, total: total, priority: priority, criteria: criteria, recommendedAction: action(priority, criteria))
    }

    /// Budget in major units of its currency (no exchange rates): ≥ 100,000 → 20,
    /// ≥ 25,000 → 15, ≥ 5,000 → 10, above 0 → 5, none → 0.
    func budget(_ budget: Money?) -> ScoreCriterion {
        guard let budget, budget.amountMinor > 0 else {
            return ScoreCriterion(name: "budget", points: 0, reason: "No budget is known.")
        }
        let major = budget.amountMinor / budget.currency.minorUnitsPerMajorUnit
        let amount = "\(budget.currency.rawValue) \(major)"
        switch major {
        case 100_000...: return ScoreCriterion(name: "budget", points: 20, reason: "Budget of \(amount) is 100,000 or more.")
        case 25_000...: return ScoreCriterion(name: "budget", points: 15, reason: "Budget of \(amount) is 25,000 or more.")
        case 5_000...: return ScoreCriterion(name: "budget", points: 10, reason: "Budget of \(amount) is 5,000 or more.")
        default: return ScoreCriterion(name: "budget", points: 5, reason: "Budget of \(amount) is below 5,000.")
        }
    }

    func timeline(_ timeline: PurchaseTimeline) -> ScoreCriterion {
        let (points, reason): (Int, String) = switch timeline {
        case .immediate: (20, "Buying now (within a month).")
        case .withinThreeMonths: (15, "Buying within 3 months.")
        case .withinSixMonths: (10, "Buying within 6 months.")
        case .withinTwelveMonths: (5, "Buying within 12 months.")
        case .later: (2, "Buying in more than a year.")
        case .unknown: (0, "The purchase timeline is unknown.")
        }
        return ScoreCriterion(name: "timeline", points: points, reason: reason)
    }

    func complexity(_ complexity: TechnicalComplexity) -> ScoreCriterion {
        let (points, reason): (Int, String) = switch complexity {
        case .low: (20, "Low technical complexity: standard setup.")
        case .medium: (12, "Medium technical complexity: some integration work.")
        case .high: (6, "High technical complexity: a long, risky implementation.")
        case .unknown: (0, "The technical requirements are unknown.")
        }
        return ScoreCriterion(name: "technical_complexity", points: points, reason: reason)
    }

    func authority(_ role: DecisionRole) -> ScoreCriterion {
        let (points, reason): (Int, String) = switch role {
        case .decisionMaker: (20, "Talking to the decision maker.")
        case .influencer: (12, "Talking to an influencer of the decision.")
        case .endUser: (5, "Talking to an end user without purchasing authority.")
        case .unknown: (0, "The contact's role in the decision is unknown.")
        }
        return ScoreCriterion(name: "decision_authority", points: points, reason: reason)
    }

    /// Industry names are compared lowercased with spaces and hyphens as underscores.
    func industry(_ industry: String?) -> ScoreCriterion {
        guard let industry, !industry.trimmingCharacters(in: .whitespaces).isEmpty else {
            return ScoreCriterion(name: "industry_fit", points: 0, reason: "The industry is unknown.")
        }
        let key = Self.industryKey(industry)
        if Self.targetIndustries.contains(key) {
            return ScoreCriterion(name: "industry_fit", points: 20, reason: "\(industry) is a target industry.")
        }
        if Self.adjacentIndustries.contains(key) {
            return ScoreCriterion(name: "industry_fit", points: 10, reason: "\(industry) is an adjacent industry.")
        }
        return ScoreCriterion(name: "industry_fit", points: 4, reason: "\(industry) is outside the target industries.")
    }

    static func industryKey(_ industry: String) -> String {
        industry.trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    /// The priority's standard next step, then a hint for the weakest criterion (the first of
    /// the lowest, in criteria order) unless every criterion scored full points.
    func action(_ priority: LeadPriority, _ criteria: [ScoreCriterion]) -> String {
        let base = switch priority {
        case .immediate: "Call within 24 hours and book a demo with the decision maker."
        case .high: "Contact within 3 business days and propose a discovery call."
        case .medium: "Add to a nurture sequence and follow up within 2 weeks."
        case .low: "Keep in marketing nurture and re-score when new information arrives."
        }
        guard let weakest = criteria.min(by: { $0.points < $1.points }), weakest.points < 20 else { return base }
        let hint = switch weakest.name {
        case "budget": "Next: confirm the budget."
        case "timeline": "Next: ask when they plan to buy."
        case "technical_complexity": "Next: scope the technical requirements."
        case "decision_authority": "Next: find the decision maker."
        default: "Next: check the industry fit."
        }
        return "\(base) \(hint)"
    }
}
