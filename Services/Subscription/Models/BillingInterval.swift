import Foundation

/// How often a plan bills. Periods are counted from a fixed anchor (`anchor + n` intervals), so a
/// subscription that started on the 31st bills on the last day of short months and returns to
/// the 31st afterwards instead of drifting.
enum BillingInterval: String, Codable, Sendable, CaseIterable {
    case month
    case year

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The start of period `number` of a subscription anchored at `anchor`.
    func boundary(anchor: Date, number: Int) -> Date {
        let component: Calendar.Component = self == .month ? .month : .year
        return Self.calendar.date(byAdding: component, value: number, to: anchor)!
    }

    /// Whole UTC calendar days from `start` to `end` (the day of `start` counts, the day of `end` does not).
    static func days(from start: Date, to end: Date) -> Int64 {
        let from = calendar.startOfDay(for: start)
        let to = calendar.startOfDay(for: end)
        return Int64(calendar.dateComponents([.day], from: from, to: to).day ?? 0)
    }

    /// `date` plus whole days.
    static func adding(days: Int, to date: Date) -> Date {
        calendar.date(byAdding: .day, value: days, to: date)!
    }
}
