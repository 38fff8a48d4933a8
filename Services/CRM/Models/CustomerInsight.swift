import ERPProtocol
import Foundation

/// One company as a customer in one currency: its historical and predicted value and its churn
/// signals (`GET /v1/analytics/customers`, `GET /v1/companies/{id}/insights`).
struct CustomerInsight: Codable, Sendable, Hashable {
    @LowercaseUUID var companyId: UUID
    var companyName: String
    var ownerId: UserID?
    var currency: CurrencyCode
    var wonCount: Int
    /// Σ won amount (historical value).
    var historicalValue: Money
    var firstWonAt: Date?
    var lastWonAt: Date?
    var averageDealSize: Money?
    var purchaseFrequencyPerYear: Double?
    var tenureDays: Int?
    var years: Int
    var predictedValue: Money
    var predictor: String
    var wonLast365Days: Money
    var wonPrevious365Days: Money
    var lostLast90Days: Int
    var lastActivityAt: Date?
    var overdueTasks: Int
    var lastPaidInvoiceAt: Date?
    var signals: [ChurnSignal]
    var risk: ChurnRisk

    init(_ facts: CustomerFacts, currency: CurrencyCode, prediction: CustomerValuePrediction, signals: [ChurnSignal]) {
        func money(_ minor: Int64) -> Money { Money(amountMinor: minor, currency: currency) }
        companyId = facts.companyID
        companyName = facts.companyName
        ownerId = facts.ownerID.map(UserID.init)
        self.currency = currency
        wonCount = facts.wonCount
        historicalValue = money(facts.wonValueMinor)
        firstWonAt = facts.firstWonAt
        lastWonAt = facts.lastWonAt
        averageDealSize = prediction.averageDealMinor.map(money)
        purchaseFrequencyPerYear = prediction.purchasesPerYear
        tenureDays = prediction.tenureDays
        years = prediction.years
        predictedValue = money(prediction.predictedValueMinor)
        predictor = prediction.predictor
        wonLast365Days = money(facts.wonLastYearMinor)
        wonPrevious365Days = money(facts.wonYearBeforeMinor)
        lostLast90Days = facts.recentLosses
        lastActivityAt = facts.lastActivityAt
        overdueTasks = facts.overdueTasks
        lastPaidInvoiceAt = facts.lastPaidInvoiceAt
        self.signals = signals
        risk = ChurnRisk(signalCount: signals.count)
    }
}
