import ERPProtocol
import Foundation
import Testing

@testable import SubscriptionService

@Suite("Subscription: proration and periods")
struct ProrationTests {
    static func plan(_ code: String, tier: Int, price: Int64, currency: CurrencyCode = CurrencyCode("EUR")!) -> Plan {
        Plan(code: code, version: 1, name: code, description: "", tier: tier, price: Money(amountMinor: price, currency: currency),
             interval: .month, trialDays: 0, features: [], limits: [:], overage: [:], rateLimitPerMinute: 60, available: true, publishedAt: Date())
    }

    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test("Lago's worked example: 14 of 31 days of a €100 difference is €45.16 (4516 minor units)")
    func lagoExample() throws {
        let proration = try #require(try Proration.upgrade(
            from: Self.plan("starter", tier: 1, price: 10_000), to: Self.plan("premium", tier: 2, price: 20_000),
            at: Self.date("2026-01-18T10:30:00Z"), periodStart: Self.date("2026-01-01T00:00:00Z"), periodEnd: Self.date("2026-02-01T00:00:00Z")
        ))
        #expect(proration.remainingDays == 14)
        #expect(proration.periodDays == 31)
        #expect(proration.amount == Money(amountMinor: 4516, currency: CurrencyCode("EUR")!))
    }

    @Test("no charge for a cheaper plan, on the last instant, or in a zero-day period")
    func nothingOwed() throws {
        let cheap = Self.plan("cheap", tier: 0, price: 100)
        let dear = Self.plan("dear", tier: 1, price: 900)
        #expect(try Proration.upgrade(from: dear, to: cheap, at: Self.date("2026-01-10T00:00:00Z"),
                                      periodStart: Self.date("2026-01-01T00:00:00Z"), periodEnd: Self.date("2026-02-01T00:00:00Z")) == nil)
        #expect(try Proration.upgrade(from: cheap, to: dear, at: Self.date("2026-02-01T00:00:00Z"),
                                      periodStart: Self.date("2026-01-01T00:00:00Z"), periodEnd: Self.date("2026-02-01T00:00:00Z")) == nil)
        // A full period left charges the whole difference.
        let full = try #require(try Proration.upgrade(from: cheap, to: dear, at: Self.date("2026-01-01T00:00:00Z"),
                                                      periodStart: Self.date("2026-01-01T00:00:00Z"), periodEnd: Self.date("2026-02-01T00:00:00Z")))
        #expect(full.amount.amountMinor == 800)
    }

    @Test("monthly periods count from the anchor, so the 31st survives February")
    func anchoredPeriods() {
        let anchor = Self.date("2026-01-31T09:00:00Z")
        #expect(BillingInterval.month.boundary(anchor: anchor, number: 1) == Self.date("2026-02-28T09:00:00Z"))
        #expect(BillingInterval.month.boundary(anchor: anchor, number: 2) == Self.date("2026-03-31T09:00:00Z"))
        #expect(BillingInterval.year.boundary(anchor: Self.date("2028-02-29T00:00:00Z"), number: 1) == Self.date("2029-02-28T00:00:00Z"))
    }

    @Test("dunning retries count from the first failure and then give up")
    func dunningSchedule() {
        let first = Self.date("2026-03-01T00:00:00Z")
        let policy = DunningPolicy.standard
        #expect(policy.nextAttempt(afterFailures: 1, firstFailureAt: first) == Self.date("2026-03-02T00:00:00Z"))
        #expect(policy.nextAttempt(afterFailures: 2, firstFailureAt: first) == Self.date("2026-03-04T00:00:00Z"))
        #expect(policy.nextAttempt(afterFailures: 3, firstFailureAt: first) == Self.date("2026-03-08T00:00:00Z"))
        #expect(policy.nextAttempt(afterFailures: 4, firstFailureAt: first) == nil)
    }

    @Test("the state machine refuses moves that skip dunning or revive a canceled subscription as a trial")
    func transitions() {
        #expect(SubscriptionStatus.active.canMove(to: .pastDue))
        #expect(SubscriptionStatus.pastDue.canMove(to: .unpaid))
        #expect(SubscriptionStatus.unpaid.canMove(to: .active))
        #expect(!SubscriptionStatus.active.canMove(to: .unpaid))
        #expect(!SubscriptionStatus.canceled.canMove(to: .trialing))
        #expect(!SubscriptionStatus.canceled.canMove(to: .pastDue))
        #expect(!SubscriptionStatus.trialing.canMove(to: .unpaid))
        #expect(SubscriptionStatus.unpaid.isReadOnly && SubscriptionStatus.canceled.isReadOnly && !SubscriptionStatus.pastDue.isReadOnly)
    }
}
