import ERPProtocol
import Foundation

/// The prorated charge of an immediate upgrade, by whole days: the unused days of the period at
/// the new price minus the same days at the old price. Both plans bill on the same interval
/// (a change of interval waits for the period end). Lago's worked example — 14 days left of
/// a 31-day month, €100 difference — is 14/31 × 100.00 = 45.16.
struct Proration: Sendable, Hashable {
    var remainingDays: Int64
    var periodDays: Int64
    var amount: Money

    /// `nil` when nothing is owed (no days left, or the new plan is not dearer).
    static func upgrade(from old: Plan, to new: Plan, at date: Date, periodStart: Date, periodEnd: Date) throws -> Proration? {
        let periodDays = BillingInterval.days(from: periodStart, to: periodEnd)
        let remaining = min(periodDays, max(0, BillingInterval.days(from: date, to: periodEnd)))
        guard periodDays > 0, remaining > 0 else { return nil }
        let difference = try new.price - old.price
        guard difference.isPositive else { return nil }
        return Proration(remainingDays: remaining, periodDays: periodDays,
                         amount: try difference.prorated(numerator: remaining, denominator: periodDays))
    }
}
