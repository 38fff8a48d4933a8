import Foundation

/// A simple heuristic, not a model: the customer keeps buying as often and as much as it has so
/// far. average deal = Σ won ÷ won count; frequency = won count ÷ tenure years (tenure from the
/// first win's day to today, at least one year of 365 days); predicted value = average deal ×
/// frequency × years, which is Σ won × years × 365 ÷ tenure days, rounded half away from zero.
struct HeuristicCustomerValuePredictor: CustomerValuePredictor {
    var name: String { "heuristic-v1" }

    func predict(_ facts: CustomerFacts, years: Int, today: CalendarDate) -> CustomerValuePrediction {
        guard facts.wonCount > 0, let firstWon = facts.firstWonAt else {
            return CustomerValuePrediction(
                predictor: name, averageDealMinor: nil, purchasesPerYear: nil, tenureDays: nil, years: years, predictedValueMinor: 0)
        }
        let tenureDays = max(365, Self.days(from: CalendarDate(utc: firstWon), to: today))
        return CustomerValuePrediction(
            predictor: name,
            averageDealMinor: AnalyticsMath.divideRounded(facts.wonValueMinor, by: Int64(facts.wonCount)),
            purchasesPerYear: Double(facts.wonCount) * 365 / Double(tenureDays),
            tenureDays: tenureDays, years: years,
            predictedValueMinor: Self.scaled(facts.wonValueMinor, by: Int64(years) * 365, over: Int64(tenureDays)))
    }

    /// Whole days between two calendar days.
    static func days(from start: CalendarDate, to end: CalendarDate) -> Int {
        Int((end.startOfDayUTC.timeIntervalSince(start.startOfDayUTC) / 86_400).rounded())
    }

    /// round(value × factor ÷ divisor) exactly in integers; in Double only past Int64's range.
    static func scaled(_ value: Int64, by factor: Int64, over divisor: Int64) -> Int64 {
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        guard overflow else { return AnalyticsMath.divideRounded(product, by: divisor) }
        return Int64((Double(value) * Double(factor) / Double(divisor)).rounded(.toNearestOrAwayFromZero))
    }
}
