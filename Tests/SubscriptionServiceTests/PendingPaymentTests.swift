import ERPProtocol
import Foundation
import Testing

@testable import SubscriptionService

/// Payments whose outcome is not known yet: the provider said "processing", or its answer was
/// lost. They are looked at again with a backoff, never charged twice.
@Suite("Subscription: pending payments")
struct PendingPaymentTests {
    @Test("a charge still processing is asked about with a growing backoff, never sent again, and settles when the provider finishes it")
    func processingIsAskedAbout() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp(plan: "basic")
            #expect(try await harness.addCard(organization, "pm_card_processing").status == .created)
            try await harness.advance(days: 14)
            let charge = try #require(harness.stripe.charges.first)
            #expect(try await harness.subscription(organization).status == .trialing)
            #expect(harness.stripe.lookups.isEmpty)

            // 15 minutes on: asked once; another sweep a minute later asks nothing (next look in 30 minutes).
            try await harness.advance(seconds: 15 * 60 + 1)
            #expect(harness.stripe.lookups.count == 1 && harness.stripe.lookups[0].hasPrefix("retrieve pi_test_"))
            try await harness.advance(seconds: 60)
            #expect(harness.stripe.lookups.count == 1)

            harness.stripe.finish(paymentID: try #require(charge.metadata["payment_id"]), status: "succeeded")
            try await harness.advance(seconds: 30 * 60)
            #expect(harness.stripe.lookups.count == 2)
            #expect(try await harness.subscription(organization).status == .active)
            #expect(try #require(try await harness.invoices(organization).first).status == .paid)
            #expect(harness.stripe.charges.count == 1, "\(harness.stripe.charges.map { ($0.idempotencyKey, $0.paymentMethod) }) \(harness.stripe.lookups)")
        }
    }

    @Test("a lost answer is sent again under the same key; after the provider forgot the key it is looked up, not charged again")
    func lostAnswers() async throws {
        try await SubscriptionHarness.run { harness in
            // Within the key's lifetime: the same key again is the same charge.
            let first = try await harness.signUp(plan: "basic")
            #expect(try await harness.addCard(first, "pm_card_visa").status == .created)
            harness.stripe.loseAnswers(1)
            try await harness.advance(days: 14)
            #expect(try await harness.subscription(first).status == .trialing, "the outcome is unknown")
            try await harness.advance(seconds: 15 * 60 + 1)
            #expect(try await harness.subscription(first).status == .active)
            let firstKeys = harness.stripe.charges.filter { $0.metadata["tenant_id"] == first.tenant.description }.map(\.idempotencyKey)
            #expect(firstKeys.count == 1, "one charge: \(firstKeys)")

            // Beyond it: the provider has forgotten the key, so sending it again would charge twice.
            let second = try await harness.signUp(plan: "basic")
            #expect(try await harness.addCard(second, "pm_card_visa").status == .created)
            harness.stripe.loseAnswers(1)
            try await harness.advance(days: 14)
            #expect(try await harness.subscription(second).status == .trialing)
            harness.stripe.forgetIdempotencyKeys()
            let lookupsBefore = harness.stripe.lookups.count
            try await harness.advance(days: 1)
            #expect(harness.stripe.lookups.dropFirst(lookupsBefore).contains { $0.hasPrefix("search ") })
            #expect(try await harness.subscription(second).status == .active)
            let secondCharges = harness.stripe.charges.filter { $0.metadata["tenant_id"] == second.tenant.description }
            #expect(secondCharges.count == 1, "charged once: \(secondCharges.map(\.idempotencyKey))")
        }
    }
}
