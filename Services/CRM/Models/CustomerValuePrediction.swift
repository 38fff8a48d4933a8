import Foundation

/// A customer's expected value over the next `years`, with the figures it was derived from.
struct CustomerValuePrediction: Sendable, Hashable {
    /// Names the predictor and its version, e.g. `heuristic-v1`.
    var predictor: String
    /// round(Σ won ÷ won count); nil without won deals.
    var averageDealMinor: Int64?
    /// Won deals per year of tenure; nil without won deals.
    var purchasesPerYear: Double?
    /// Days from the first win's UTC date to today's, at least 365.
    var tenureDays: Int?
    var years: Int
    var predictedValueMinor: Int64
}
