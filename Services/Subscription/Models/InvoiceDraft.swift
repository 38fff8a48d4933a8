import ERPProtocol
import Foundation

/// The lines and totals of an invoice about to be issued: the plan fee for the period ahead,
/// proration lines waiting from mid-period upgrades, and overage of the period just ended,
/// with the organization's tax rate applied once to the subtotal.
struct InvoiceDraft: Sendable, Hashable {
    var currency: CurrencyCode
    var lines: [InvoiceLine]
    var taxRateBasisPoints: Int
    var periodStart: Date
    var periodEnd: Date

    var subtotalMinor: Int64 { lines.reduce(0) { $0 + $1.amountMinor } }

    func taxMinor() throws -> Int64 {
        try Money(amountMinor: subtotalMinor, currency: currency).applyingRate(basisPoints: Int64(taxRateBasisPoints)).amountMinor
    }

    /// Nothing to bill (a free plan without overage or pending charges).
    var isEmpty: Bool { lines.allSatisfy { $0.amountMinor == 0 } }

    /// The invoice for a new period of `plan`, with `charges` and the overage of `endedPeriodUsage`
    /// under `endedPlan` (the plan the ended period ran on).
    static func renewal(
        plan: Plan, periodStart: Date, periodEnd: Date, charges: [PendingCharge],
        endedPlan: Plan?, endedPeriod: (start: Date, end: Date)?, endedPeriodUsage: [EntitlementMetric: Int64], taxRateBasisPoints: Int
    ) -> InvoiceDraft {
        var lines: [InvoiceLine] = []
        if !plan.isFree {
            lines.append(InvoiceLine(
                kind: .plan, description: "\(plan.name) plan", quantity: 1, unitAmountMinor: plan.price.amountMinor,
                amountMinor: plan.price.amountMinor, metric: nil, periodStart: periodStart, periodEnd: periodEnd
            ))
        }
        for charge in charges {
            lines.append(InvoiceLine(
                kind: .proration, description: charge.description, quantity: 1, unitAmountMinor: charge.amountMinor,
                amountMinor: charge.amountMinor, metric: nil, periodStart: charge.periodStart, periodEnd: charge.periodEnd
            ))
        }
        if let endedPlan, let endedPeriod {
            for (metric, price) in endedPlan.overage.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                guard let limit = endedPlan.limit(metric), let used = endedPeriodUsage[metric] else { continue }
                let units = price.billableUnits(excess: used - limit)
                guard units > 0 else { continue }
                let what = BillableMetric.named(metric)?.description ?? metric.rawValue
                lines.append(InvoiceLine(
                    kind: .overage, description: "\(what) beyond \(limit) (\(used) used)", quantity: units,
                    unitAmountMinor: price.unitPriceMinor, amountMinor: units * price.unitPriceMinor, metric: metric.rawValue,
                    periodStart: endedPeriod.start, periodEnd: endedPeriod.end
                ))
            }
        }
        return InvoiceDraft(currency: plan.price.currency, lines: lines, taxRateBasisPoints: taxRateBasisPoints,
                            periodStart: periodStart, periodEnd: periodEnd)
    }
}
