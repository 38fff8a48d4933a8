import Foundation

/// Predicts what a customer will buy over the next years. The heuristic below is the default; a
/// model-backed predictor (erp-ai) can replace it without touching the callers, like `LeadScorer`.
protocol CustomerValuePredictor: Sendable {
    /// Names the predictor and its version in answers, e.g. `heuristic-v1`.
    var name: String { get }
    func predict(_ facts: CustomerFacts, years: Int, today: CalendarDate) -> CustomerValuePrediction
}
