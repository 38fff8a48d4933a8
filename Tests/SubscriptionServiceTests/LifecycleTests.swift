import ERPProtocol
import Foundation
import HummingbirdTesting
import Testing

@testable import SubscriptionService

@Suite("Subscription: lifecycle")
struct LifecycleTests {
    @Test("organization.created starts Free; a redelivery changes nothing; the start is an event")
    func signUpStartsFree() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp()
            let subscription = try await harness.subscription(organization)
            #expect(subscription.plan.code == "free")
            #expect(subscription.status == .active)
            #expect(subscription.currentPeriodStart == SubscriptionHarness.start)
            #expect(try await harness.eventTypes(organization.tenant).contains(EventType.Subscription.subscriptionStarted.rawValue))
            let entitlements = try await harness.entitlements(organization)
            #expect(entitlements.plan.code == "free")
            #expect(entitlements.usage(of: .users)?.limit == 5)
            #expect(entitlements.usage(of: .users)?.usage == 1)
            #expect(entitlements.rateLimit.requestsPerMinute == 600)
        }
    }

    @Test("a paid plan asked for at sign-up starts a trial; expiry without a payment method → past_due with events")
    func trialExpiryWithoutPayment() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp(plan: "basic")
            var subscription = try await harness.subscription(organization)
            #expect(subscription.status == .trialing)
            #expect(subscription.plan.code == "basic")
            #expect(subscription.trialEnd == BillingInterval.adding(days: 14, to: SubscriptionHarness.start))
            try await harness.advance(days: 11)
            #expect(try await harness.eventTypes(organization.tenant).contains(EventType.Subscription.trialEnding.rawValue))
            #expect(try await harness.subscription(organization).status == .trialing)
            try await harness.advance(days: 3)
            subscription = try await harness.subscription(organization)
            #expect(subscription.status == .pastDue)
            let invoices = try await harness.invoices(organization)
            #expect(invoices.count == 1)
            #expect(invoices[0].status == .open)
            #expect(invoices[0].total.amountMinor == 2900)
            #expect(invoices[0].attemptCount == 1)
            let events = try await harness.eventTypes(organization.tenant)
            #expect(events.contains(EventType.Subscription.invoiceIssued.rawValue))
            #expect(events.contains(EventType.Subscription.paymentFailed.rawValue))
            #expect(events.contains(EventType.Subscription.subscriptionPastDue.rawValue))
            #expect(harness.stripe.charges.isEmpty)
        }
    }

    @Test("a trial with a card on file converts to active when the first invoice is paid")
    func trialConverts() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp(plan: "pro")
            #expect(try await harness.addCard(organization, "pm_card_visa").status == .created)
            try await harness.advance(days: 14)
            let subscription = try await harness.subscription(organization)
            #expect(subscription.status == .active)
            #expect(subscription.currentPeriodStart == BillingInterval.adding(days: 14, to: SubscriptionHarness.start))
            let invoices = try await harness.invoices(organization)
            #expect(invoices.map(\.status) == [.paid])
            #expect(harness.stripe.charges.map(\.amount) == [9900])
            #expect(try await harness.eventTypes(organization.tenant).contains(EventType.Subscription.subscriptionActivated.rawValue))
        }
    }

    @Test("an upgrade applies at once (entitlements too, despite the cache) and bills the prorated days on the next invoice")
    func upgradeProratesAndEntitlementsFollow() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp()
            #expect(try await harness.addCard(organization, "pm_card_visa").status == .created)
            // Free → Basic on the first day: a whole month of Basic.
            #expect(try await harness.send(.post, "/v1/subscription/change", token: organization.ownerToken, json: #"{"planCode":"basic"}"#).status == .ok)
            // Cache the Basic entitlements, then upgrade again 17 days in: 14 of 31 days left.
            #expect(try await harness.entitlements(organization).plan.code == "basic")
            harness.clock.advance(days: 17)
            let preview = try await harness.send(.post, "/v1/subscription/change-preview", token: organization.ownerToken, json: #"{"planCode":"pro"}"#)
            #expect(preview.status == .ok)
            let previewed = try preview.decoded(SubscriptionController.ChangeResponse.self)
            #expect(previewed.timing == .immediate)
            #expect(previewed.remainingDays == 14 && previewed.periodDays == 31)
            #expect(previewed.proratedAmount?.amountMinor == 3161)  // 14/31 × (99.00 − 29.00) = 31.6129…
            #expect(try await harness.subscription(organization).plan.code == "basic")  // a preview changes nothing
            let changed = try await harness.send(.post, "/v1/subscription/change", token: organization.ownerToken, json: #"{"planCode":"pro"}"#)
            #expect(changed.status == .ok)
            let entitlements = try await harness.entitlements(organization)
            #expect(entitlements.plan.code == "pro")
            #expect(entitlements.features.contains("ai_assistant"))
            #expect(entitlements.usage(of: .users)?.limit == nil)
            #expect(entitlements.rateLimit.requestsPerMinute == 12000)
            // Period end: Pro fee ahead plus both proration lines.
            try await harness.advance(days: 14)
            let invoice = try #require(try await harness.invoices(organization).first)
            let detail = try await harness.send(.get, "/v1/invoices/\(invoice.id)", token: organization.ownerToken).decoded(InvoiceResponse.self)
            let lines = try #require(detail.lines)
            #expect(lines.map(\.kind) == [.plan, .proration, .proration])
            #expect(lines.map(\.amount.amountMinor) == [9900, 2900, 3161])
            #expect(detail.total.amountMinor == 9900 + 2900 + 3161)
            #expect(detail.status == .paid)
            #expect(detail.number == "INV-000001")
        }
    }

    @Test("a downgrade is refused while usage exceeds the target's limits, then scheduled for the period end")
    func downgradeChecksUsage() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp(plan: "basic")
            try await harness.addUsers(9, to: organization.tenant)  // 10 users; Free allows 5
            let refused = try await harness.send(.post, "/v1/subscription/change", token: organization.ownerToken, json: #"{"planCode":"free"}"#)
            #expect(refused.status == .conflict)
            #expect(refused.problemCode == "usage_exceeds_plan_limits")
            #expect(String(buffer: refused.body).contains("users is 10, the limit is 5"))
            #expect(try await harness.subscription(organization).plan.code == "basic")

            // Trialing → paid again so the downgrade is a real period-end change.
            #expect(try await harness.addCard(organization, "pm_card_visa").status == .created)
            try await harness.advance(days: 14)
            for _ in 0..<6 { try await harness.deliver(harness.userEvent(EventType.Auth.userDeactivated, tenant: organization.tenant)) }
            let scheduled = try await harness.send(.post, "/v1/subscription/change", token: organization.ownerToken, json: #"{"planCode":"free"}"#)
            #expect(scheduled.status == .ok)
            let change = try scheduled.decoded(SubscriptionController.ChangeResponse.self)
            #expect(change.timing == .periodEnd)
            #expect(change.subscription?.plan.code == "basic")
            #expect(change.subscription?.pendingPlan?.code == "free")
            try await harness.advance(days: 31)
            let after = try await harness.subscription(organization)
            #expect(after.plan.code == "free")
            #expect(after.pendingPlan == nil)
        }
    }

    @Test("cancel at period end is withdrawable; cancel now is read-only at once; reactivate restarts")
    func cancelAndReactivate() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp()
            // No body: the default is the period end.
            var response = try await harness.send(.post, "/v1/subscription/cancel", token: organization.ownerToken)
            #expect(try response.decoded(SubscriptionResponse.self).cancelAtPeriodEnd)
            response = try await harness.send(.post, "/v1/subscription/reactivate", token: organization.ownerToken)
            #expect(try response.decoded(SubscriptionResponse.self).cancelAtPeriodEnd == false)
            response = try await harness.send(.post, "/v1/subscription/cancel", token: organization.ownerToken, json: #"{"atPeriodEnd":false}"#)
            #expect(try response.decoded(SubscriptionResponse.self).status == .canceled)
            #expect(try await harness.entitlements(organization).readOnly)
            let again = try await harness.send(.post, "/v1/subscription/cancel", token: organization.ownerToken, json: "{}")
            #expect(again.status == .conflict)
            response = try await harness.send(.post, "/v1/subscription/reactivate", token: organization.ownerToken)
            #expect(try response.decoded(SubscriptionResponse.self).status == .active)
            #expect(try await harness.entitlements(organization).readOnly == false)
            let history = try await harness.send(.get, "/v1/subscription/history", token: organization.ownerToken)
                .decoded(SubscriptionController.History.self).items
            #expect(history.count == 5)
            #expect(history.first?.reason == "restarted")
        }
    }

    @Test("ids are written as lowercase UUIDs, as every service writes them")
    func lowercaseIDs() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp(plan: "basic")
            let response = try await harness.send(.get, "/v1/subscription", token: organization.ownerToken)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            let id = try #require(object["id"] as? String)
            #expect(id == id.lowercased() && UUID(uuidString: id) != nil)
            #expect(try response.decoded(SubscriptionResponse.self).id == UUID(uuidString: id))
        }
    }

    @Test("a viewer cannot change the plan; another organization's entitlements are 404; a platform token may read any")
    func permissionsAndIsolation() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp()
            let other = try await harness.signUp()
            let viewer = try harness.token(tenant: organization.tenant, permissions: ["subscription.plan.read", "subscription.subscription.read"])
            let refused = try await harness.send(.post, "/v1/subscription/change", token: viewer, json: #"{"planCode":"basic"}"#)
            #expect(refused.status == .forbidden)
            #expect(try await harness.send(.get, "/v1/subscription", token: viewer).status == .ok)
            #expect(try await harness.send(.get, "/v1/organizations/\(other.tenant)/entitlements", token: organization.ownerToken).status == .notFound)
            let platform = try await harness.send(.get, "/v1/organizations/\(other.tenant)/entitlements", token: try harness.platformToken())
            #expect(platform.status == .ok)
            #expect(try platform.decoded(OrganizationEntitlements.self).organizationId == other.tenant)
            // A platform token acts for no organization, so it has no "own" subscription.
            #expect(try await harness.send(.get, "/v1/subscription", token: try harness.platformToken()).status == .forbidden)
            #expect(try await harness.send(.get, "/v1/subscription").status == .unauthorized)
            let unknown = try await harness.send(.post, "/v1/subscription/change", token: organization.ownerToken, json: #"{"planCode":"platinum"}"#)
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.problemCode == "plan_not_found")
        }
    }

    @Test("a paid plan without a trial is invoiced for its first period at once and charged by the next sweep")
    func paidWithoutTrial() async throws {
        try await SubscriptionHarness.run { harness in
            let starter = """
                {"code":"starter","name":"Starter","tier":1,"price":{"amountMinor":1500,"currency":"USD"},"interval":"month","trialDays":0,
                 "features":["core"],"limits":{"users":10},"requestsPerMinute":1000}
                """
            let published = try await harness.send(.post, "/v1/plans", token: try harness.platformToken(client: "svc_subscription"), json: starter)
            #expect(published.status == .created)
            let organization = try await harness.signUp(plan: "starter")
            #expect(try await harness.subscription(organization).status == .active)
            let invoices = try await harness.invoices(organization)
            #expect(invoices.map(\.total.amountMinor) == [1500])
            try await harness.sweep()  // no card on file: the first charge fails
            #expect(try await harness.subscription(organization).status == .pastDue)
            // A later trial is not offered for a plan without one, nor twice.
            let free = try await harness.signUp()
            let noTrial = try await harness.send(.post, "/v1/subscription/trial", token: free.ownerToken, json: #"{"planCode":"starter"}"#)
            #expect(noTrial.problemCode == "trial_not_offered")
            #expect(try await harness.send(.post, "/v1/subscription/trial", token: free.ownerToken, json: #"{"planCode":"pro"}"#).status == .ok)
            #expect(try await harness.subscription(free).status == .trialing)
            let again = try await harness.send(.post, "/v1/subscription/trial", token: free.ownerToken, json: #"{"planCode":"basic"}"#)
            #expect(again.problemCode == "trial_already_used")
        }
    }
}
