import Foundation

/// The arithmetic the analytics share, so every number is rounded the same documented way.
enum AnalyticsMath {
    /// `numerator / denominator` rounded to the nearest integer, halves away from zero.
    static func divideRounded(_ numerator: Int64, by denominator: Int64) -> Int64 {
        precondition(denominator > 0)
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        if abs(remainder) * 2 >= denominator { return quotient + (numerator < 0 ? -1 : 1) }
        return quotient
    }

    /// Σ amount × probability % as minor units: the numerator divided by 100, rounded.
    static func weighted(_ numerator: Int64) -> Int64 {
        divideRounded(numerator, by: 100)
    }

    /// A fraction, nil when there is nothing to divide.
    static func rate(_ part: Int, of whole: Int) -> Double? {
        whole == 0 ? nil : Double(part) / Double(whole)
    }

    /// Sales velocity in minor units per day: open opportunities × average deal size × win rate
    /// ÷ average sales cycle in days, rounded; nil when a factor is unknown or the cycle is 0.
    static func velocity(openCount: Int, averageDeal: Int64?, winRate: Double?, cycleDays: Double?) -> Int64? {
        guard let averageDeal, let winRate, let cycleDays, cycleDays > 0 else { return nil }
        return Int64((Double(openCount) * Double(averageDeal) * winRate / cycleDays).rounded(.toNearestOrAwayFromZero))
    }
}
