import ERPProtocol
import Foundation

/// The churn signals of a customer (a company with at least one won deal in the currency), each
/// a plain rule over its `CustomerFacts` (docs/crm.md, "Customer value and churn signals").
struct ChurnRules: Sendable {
    /// `no_recent_activity` when nothing was logged in this many days (the `inactiveDays` parameter).
    var inactiveDays = 90
    /// `no_recent_purchase` when the last win is older than this.
    var purchaseDays = 365
    /// `recent_loss` counts losses in this many days (the facts are read with it).
    var lossDays = 90

    func signals(_ facts: CustomerFacts, currency: CurrencyCode, asOf now: Date) -> [ChurnSignal] {
        guard facts.wonCount > 0, let lastWon = facts.lastWonAt else { return [] }
        var signals: [ChurnSignal] = []
        if facts.lastActivityAt.map({ $0 < Self.daysBefore(now, inactiveDays) }) ?? true {
            signals.append(ChurnSignal(code: .noRecentActivity, reason: "No activity logged in the last \(inactiveDays) days."))
        }
        if lastWon < Self.daysBefore(now, purchaseDays) {
            let days = Int(now.timeIntervalSince(lastWon) / 86_400)
            signals.append(ChurnSignal(code: .noRecentPurchase, reason: "Last won deal \(days) days ago."))
        }
        if facts.recentLosses > 0 {
            let deals = facts.recentLosses == 1 ? "1 opportunity" : "\(facts.recentLosses) opportunities"
            signals.append(ChurnSignal(code: .recentLoss, reason: "\(deals) lost in the last \(lossDays) days."))
        }
        if facts.overdueTasks > 0 {
            let tasks = facts.overdueTasks == 1 ? "1 open task is" : "\(facts.overdueTasks) open tasks are"
            signals.append(ChurnSignal(code: .overdueTasks, reason: "\(tasks) past due."))
        }
        if facts.wonLastYearMinor < facts.wonYearBeforeMinor {
            let recent = Money(amountMinor: facts.wonLastYearMinor, currency: currency)
            let before = Money(amountMinor: facts.wonYearBeforeMinor, currency: currency)
            signals.append(ChurnSignal(code: .decliningValue, reason: "Won \(recent) in the last 365 days, \(before) in the 365 days before."))
        }
        return signals
    }

    static func daysBefore(_ date: Date, _ days: Int) -> Date {
        date.addingTimeInterval(-Double(days) * 86_400)
    }
}
