import ERPProtocol
import Foundation
import Testing

@testable import CRMService

/// The documented examples of docs/crm.md, "Customer value and churn signals", against the pure formulas.
@Suite("CRM: customer value and churn formulas")
struct CustomerValueFormulaTests {
    static let today = CalendarDate("2026-06-30")!
    static let now = today.startOfDayUTC.addingTimeInterval(12 * 3600)
    static let usd = CurrencyCode("USD")!

    static func facts(won: [(amount: Int64, daysAgo: Double)], lastActivityDaysAgo: Double? = 1, losses: Int = 0, overdue: Int = 0) -> CustomerFacts {
        let dates = won.map { now.addingTimeInterval(-$0.daysAgo * 86_400) }
        let inWindow = { (from: Double, to: Double) in
            zip(won, dates).filter { $0.0.daysAgo <= from && $0.0.daysAgo > to }.reduce(0) { $0 + $1.0.amount }
        }
        return CustomerFacts(
            companyID: UUID(), companyName: "Example", ownerID: nil, wonCount: won.count, wonValueMinor: won.reduce(0) { $0 + $1.amount },
            firstWonAt: dates.min(), lastWonAt: dates.max(), wonLastYearMinor: inWindow(365, 0), wonYearBeforeMinor: inWindow(730, 365),
            recentLosses: losses, lastActivityAt: lastActivityDaysAgo.map { now.addingTimeInterval(-$0 * 86_400) }, overdueTasks: overdue,
            lastPaidInvoiceAt: nil)
    }

    static let predictionExamples: [([(Int64, Double)], Int, Int64, Double, Int, Int64)] = [
        // Three wins, Σ 1,700.01, first 800 days ago: average round(170001 ÷ 3) = 56667, 3 × 365 ÷ 800 = 1.36875 a year,
        // 3 years → round(170001 × 1095 ÷ 800) = round(232688.87) = 232689.
        ([(100_000, 800), (50_000, 500), (20_001, 100)], 3, Int64(56_667), 1.36875, 800, Int64(232_689)),
        // One win 40 days ago: tenure counts as a year; 3 years → 3 × 30000.
        ([(30_000, 40)], 3, 30_000, 1.0, 365, 90_000),
        // One win 900 days ago, 5 years: round(10000 × 1825 ÷ 900) = round(20277.8) = 20278.
        ([(10_000, 900)], 5, 10_000, 365.0 / 900, 900, 20_278),
        // Halves round away from zero: 1 × 365 × 1 ÷ 730 = 0.5 → 1.
        ([(1, 730)], 1, 1, 0.5, 730, 1),
    ]

    @Test("predicted value examples", arguments: predictionExamples)
    func prediction(won: [(Int64, Double)], years: Int, average: Int64, frequency: Double, tenure: Int, predicted: Int64) {
        let result = HeuristicCustomerValuePredictor().predict(Self.facts(won: won.map { ($0.0, $0.1) }), years: years, today: Self.today)
        #expect(result.averageDealMinor == average)
        #expect(abs((result.purchasesPerYear ?? 0) - frequency) < 1e-12)
        #expect(result.tenureDays == tenure)
        #expect(result.predictedValueMinor == predicted)
        #expect(result.years == years && result.predictor == "heuristic-v1")
    }

    @Test("no won deals predict nothing and raise no signals")
    func noWins() {
        let facts = Self.facts(won: [], lastActivityDaysAgo: nil, losses: 2, overdue: 3)
        let result = HeuristicCustomerValuePredictor().predict(facts, years: 3, today: Self.today)
        #expect(result.predictedValueMinor == 0 && result.averageDealMinor == nil && result.tenureDays == nil)
        #expect(ChurnRules().signals(facts, currency: Self.usd, asOf: Self.now).isEmpty)
    }

    @Test("an amount too large for Int64 arithmetic still scales")
    func largeAmounts() {
        #expect(HeuristicCustomerValuePredictor.scaled(Int64.max / 2, by: 3650, over: 3650) == Int64((Double(Int64.max / 2)).rounded()))
        #expect(HeuristicCustomerValuePredictor.scaled(7, by: 1, over: 2) == 4)
    }

    static let signalExamples: [([(Int64, Double)], Double?, Int, Int, [String], ChurnRisk)] = [
        // Active, bought 100 days ago, growing: nothing.
        ([(5_000, 100), (1_000, 400)], 10, 0, 0, [], ChurnRisk.none),
        // No activity ever: one signal.
        ([(5_000, 100)], nil, 0, 0, ["no_recent_activity"], .low),
        // Activity 91 days ago with the default 90; last win 366 days ago; so the year before beats the last year.
        ([(5_000, 366)], 91, 0, 0, ["no_recent_activity", "no_recent_purchase", "declining_value"], .high),
        // A loss and an overdue task.
        ([(5_000, 10)], 1, 1, 2, ["recent_loss", "overdue_tasks"], .medium),
        // Everything.
        ([(1_000, 400), (9_000, 500)], 200, 3, 1, ["no_recent_activity", "no_recent_purchase", "recent_loss", "overdue_tasks", "declining_value"], .high),
    ]

    @Test("churn signal examples", arguments: signalExamples)
    func signals(won: [(Int64, Double)], activity: Double?, losses: Int, overdue: Int, codes: [String], risk: ChurnRisk) {
        let facts = Self.facts(won: won.map { ($0.0, $0.1) }, lastActivityDaysAgo: activity, losses: losses, overdue: overdue)
        let signals = ChurnRules().signals(facts, currency: Self.usd, asOf: Self.now)
        #expect(signals.map(\.code.rawValue) == codes)
        #expect(signals.allSatisfy { !$0.reason.isEmpty })
        #expect(ChurnRisk(signalCount: signals.count) == risk)
    }

    @Test("reasons say what was measured")
    func reasons() {
        let facts = Self.facts(won: [(1_000, 400), (9_000, 500)], lastActivityDaysAgo: 200, losses: 1, overdue: 2)
        let reasons = ChurnRules(inactiveDays: 30).signals(facts, currency: Self.usd, asOf: Self.now).map(\.reason)
        #expect(reasons == [
            "No activity logged in the last 30 days.", "Last won deal 400 days ago.", "1 opportunity lost in the last 90 days.",
            "2 open tasks are past due.", "Won USD 0.00 in the last 365 days, USD 100.00 in the 365 days before.",
        ])
    }

    @Test("risk levels by signal count")
    func risk() {
        #expect((0...5).map(ChurnRisk.init(signalCount:)) == [.none, .low, .medium, .high, .high, .high])
    }
}
