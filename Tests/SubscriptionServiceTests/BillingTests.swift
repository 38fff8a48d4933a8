import ERPCrypto
import ERPProtocol
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import SubscriptionService

@Suite("Subscription: billing, dunning and webhooks")
struct BillingTests {
    @Test("dunning: declined card → past_due, retries on days 1, 3, 7 → unpaid (read-only); paying with a good card restores it")
    func dunningPath() async throws {
        try await SubscriptionHarness.run { harness in
            let (organization, first) = try await harness.pastDueOnDeclinedCard()
            var invoice = first
            #expect(invoice.nextAttemptAt == BillingInterval.adding(days: 1, to: harness.clock.now()))
            for (day, attempts) in [(1, 2), (2, 3)] {
                try await harness.advance(days: day)
                invoice = try #require(try await harness.invoices(organization).first)
                #expect(invoice.attemptCount == attempts)
                #expect(try await harness.subscription(organization).status == .pastDue)
            }
            try await harness.advance(days: 4)  // day 7 after the first failure: the last retry
            invoice = try #require(try await harness.invoices(organization).first)
            #expect(invoice.attemptCount == 4)
            #expect(invoice.nextAttemptAt == nil)
            #expect(try await harness.subscription(organization).status == .unpaid)
            #expect(try await harness.entitlements(organization).readOnly)
            #expect(harness.stripe.charges.count == 4)
            var events = try await harness.eventTypes(organization.tenant)
            #expect(events.filter { $0 == EventType.Subscription.paymentFailed.rawValue }.count == 4)
            #expect(events.contains(EventType.Subscription.subscriptionUnpaid.rawValue))

            // The customer adds a working card and pays.
            let added = try await harness.addCard(organization, "pm_card_visa")
            let card = try added.decoded(PaymentMethodController.MethodResponse.self)
            #expect(card.isDefault == false)
            #expect(try await harness.send(.post, "/v1/payment-methods/\(card.id)/default", token: organization.ownerToken).status == .ok)
            let paid = try await harness.send(.post, "/v1/invoices/\(invoice.id)/pay", token: organization.ownerToken,
                                              headers: [HTTPField.Name("Idempotency-Key")!: "pay-\(invoice.id)"])
            #expect(paid.status == .created, "\(String(buffer: paid.body))")
            #expect(try await harness.subscription(organization).status == .active)
            #expect(try await harness.entitlements(organization).readOnly == false)
            #expect(try await harness.invoices(organization).first?.status == .paid)
            events = try await harness.eventTypes(organization.tenant)
            #expect(events.suffix(5).contains(EventType.Subscription.subscriptionActivated.rawValue))
            #expect(events.contains(EventType.Subscription.invoicePaid.rawValue))
        }
    }

    @Test("a customer's own failed payments (/pay) neither advance dunning nor make the subscription unpaid")
    func manualPaymentsDoNotCount() async throws {
        try await SubscriptionHarness.run { harness in
            let (organization, scheduled) = try await harness.pastDueOnDeclinedCard()
            // Four tries by hand: more than the three retries dunning allows.
            for index in 0..<4 {
                let reply = try await harness.send(.post, "/v1/invoices/\(scheduled.id)/pay", token: organization.ownerToken,
                                                   headers: [HTTPField.Name("Idempotency-Key")!: "manual-\(index)-\(scheduled.id)"])
                #expect(reply.status.code == 402)
                #expect(reply.problemCode == "payment_declined")
            }
            var invoice = try #require(try await harness.invoices(organization).first)
            #expect(invoice.attemptCount == 1)
            #expect(invoice.nextAttemptAt == scheduled.nextAttemptAt)
            #expect(try await harness.subscription(organization).status == .pastDue)
            // The automatic retries still come on days 1, 3 and 7, and only the last makes it unpaid.
            for (day, attempts) in [(1, 2), (2, 3)] {
                try await harness.advance(days: day)
                invoice = try #require(try await harness.invoices(organization).first)
                #expect(invoice.attemptCount == attempts)
                #expect(try await harness.subscription(organization).status == .pastDue)
            }
            try await harness.advance(days: 4)
            #expect(try await harness.subscription(organization).status == .unpaid)
            #expect(harness.stripe.charges.count == 8)
            let events = try await harness.eventTypes(organization.tenant)
            #expect(events.filter { $0 == EventType.Subscription.paymentFailed.rawValue }.count == 8)
        }
    }

    @Test("paying needs an Idempotency-Key; a retried request replays the answer and charges once")
    func payIsIdempotent() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp(plan: "basic")
            try await harness.advance(days: 14)  // no card: invoice open, past due
            let invoice = try #require(try await harness.invoices(organization).first)
            let noCard = try await harness.send(.post, "/v1/invoices/\(invoice.id)/pay", token: organization.ownerToken,
                                                headers: [HTTPField.Name("Idempotency-Key")!: "k-0"])
            #expect(noCard.status == .unprocessableContent)
            #expect(noCard.problemCode == "payment_method_required")
            #expect(try await harness.addCard(organization, "pm_card_visa").status == .created)
            let withoutKey = try await harness.send(.post, "/v1/invoices/\(invoice.id)/pay", token: organization.ownerToken)
            #expect(withoutKey.status == .preconditionRequired)
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "pay-once-\(invoice.id)"]
            let first = try await harness.send(.post, "/v1/invoices/\(invoice.id)/pay", token: organization.ownerToken, headers: key)
            let second = try await harness.send(.post, "/v1/invoices/\(invoice.id)/pay", token: organization.ownerToken, headers: key)
            #expect(first.status == .created)
            #expect(second.status == .created)
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(String(buffer: first.body) == String(buffer: second.body))
            #expect(harness.stripe.charges.count == 1)
            let again = try await harness.send(.post, "/v1/invoices/\(invoice.id)/pay", token: organization.ownerToken,
                                               headers: [HTTPField.Name("Idempotency-Key")!: "another"])
            #expect(again.status == .conflict)
            #expect(again.problemCode == "invoice_not_payable")
        }
    }

    @Test("webhooks: a bad signature or a stale timestamp is 400 and changes nothing; a good one settles; a replay changes nothing")
    func webhooks() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp(plan: "basic")
            #expect(try await harness.addCard(organization, "pm_card_processing").status == .created)
            try await harness.advance(days: 14)
            let charge = try #require(harness.stripe.charges.first)
            #expect(try await harness.subscription(organization).status == .trialing)  // still processing
            let body = """
                {"id":"evt_\(UUID().uuidString.prefix(8))","type":"payment_intent.succeeded","data":{"object":{"id":"pi_x","status":"succeeded",
                "metadata":{"tenant_id":"\(charge.metadata["tenant_id"]!)","payment_id":"\(charge.metadata["payment_id"]!)"}}}}
                """
            let signature = WebhookSignature(secret: SubscriptionHarness.webhookSecret)
            let forged = WebhookSignature(secret: "whsec_attacker").header(body: Array(body.utf8), at: Date())
            let stale = signature.header(body: Array(body.utf8), at: Date().addingTimeInterval(-600))
            for header in [forged, stale, "t=1,v1=zz", ""] {
                let response = try await harness.send(.post, "/v1/webhooks/payments", json: body, headers: [HTTPField.Name("Stripe-Signature")!: header])
                #expect(response.status == .badRequest)
                #expect(response.problemCode == "webhook_signature_invalid")
            }
            // Signed over a different body: refused too.
            let tampered = try await harness.send(.post, "/v1/webhooks/payments", json: body + " ",
                                                  headers: [HTTPField.Name("Stripe-Signature")!: signature.header(body: Array(body.utf8), at: Date())])
            #expect(tampered.status == .badRequest)
            #expect(try await harness.subscription(organization).status == .trialing)
            #expect(try await harness.invoices(organization).first?.status == .open)

            let good = signature.header(body: Array(body.utf8), at: Date())
            let accepted = try await harness.send(.post, "/v1/webhooks/payments", json: body, headers: [HTTPField.Name("Stripe-Signature")!: good])
            #expect(accepted.status == .ok)
            #expect(try accepted.decoded(WebhookController.Acknowledgement.self).duplicate == false)
            #expect(try await harness.subscription(organization).status == .active)
            #expect(try await harness.invoices(organization).first?.status == .paid)
            let eventsBefore = try await harness.eventTypes(organization.tenant).count
            let replay = try await harness.send(.post, "/v1/webhooks/payments", json: body, headers: [HTTPField.Name("Stripe-Signature")!: good])
            #expect(replay.status == .ok)
            #expect(try replay.decoded(WebhookController.Acknowledgement.self).duplicate)
            #expect(try await harness.eventTypes(organization.tenant).count == eventsBefore)
        }
    }

    @Test("a scheduler that was down for three months catches up: one numbered invoice per period, with tax")
    func catchUpAndTax() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp()
            let settings = try await harness.send(.put, "/v1/billing-settings", token: organization.ownerToken,
                                                  json: #"{"taxRateBasisPoints":1900,"taxLabel":"VAT","billingEmail":"billing@example.com"}"#,
                                                  headers: [.ifMatch: "\"0\""])
            #expect(settings.status == .ok, "\(String(buffer: settings.body))")
            let stale = try await harness.send(.put, "/v1/billing-settings", token: organization.ownerToken, json: #"{"taxRateBasisPoints":5}"#,
                                               headers: [.ifMatch: "\"0\""])
            #expect(stale.status == .preconditionFailed)
            let bad = try await harness.send(.put, "/v1/billing-settings", token: organization.ownerToken, json: #"{"taxRateBasisPoints":20000}"#,
                                             headers: [.ifMatch: "\"1\""])
            #expect(bad.status == .unprocessableContent)
            #expect(try await harness.addCard(organization, "pm_card_visa").status == .created)
            #expect(try await harness.send(.post, "/v1/subscription/change", token: organization.ownerToken, json: #"{"planCode":"basic"}"#).status == .ok)
            harness.clock.advance(days: 31 + 28 + 31)  // Jan 1 → Apr 1, no sweep in between
            try await harness.sweep()
            let invoices = try await harness.invoices(organization)
            #expect(invoices.map(\.number).sorted() == ["INV-000001", "INV-000002", "INV-000003"])
            #expect(invoices.allSatisfy { $0.status == .paid })
            let first = try #require(invoices.first { $0.number == "INV-000001" })
            #expect(first.subtotal.amountMinor == 2900 + 2900)  // February's fee + January's proration (whole month)
            #expect(first.tax.amountMinor == 1102)  // 19 % of 58.00
            #expect(first.total.amountMinor == 6902)
            let last = try #require(invoices.first { $0.number == "INV-000003" })
            #expect(last.total.amountMinor == 3451)  // 29.00 + 19 %
            let subscription = try await harness.subscription(organization)
            #expect(subscription.currentPeriodStart == ISO8601DateFormatter().date(from: "2026-04-01T00:00:00Z"))
            #expect(harness.stripe.charges.count == 3)
        }
    }

    @Test("an issued invoice cannot be changed, even by SQL; other organizations see 404")
    func invoicesAreImmutableAndIsolated() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp(plan: "basic")
            try await harness.advance(days: 14)
            let invoice = try #require(try await harness.invoices(organization).first)
            await #expect(throws: (any Error).self) {
                try await harness.pool.withTenantTransaction(tenant: organization.tenant.uuid) { connection in
                    try await connection.execute("UPDATE invoices SET total_minor = 1 WHERE id = \(invoice.id)")
                }
            }
            await #expect(throws: (any Error).self) {
                try await harness.pool.withTenantTransaction(tenant: organization.tenant.uuid) { connection in
                    try await connection.execute("UPDATE invoice_lines SET amount_minor = 1 WHERE invoice_id = \(invoice.id)")
                }
            }
            await #expect(throws: (any Error).self) {
                try await harness.pool.withConnection { connection in
                    try await connection.execute("UPDATE plans SET price_minor = 1 WHERE code = 'basic'")
                }
            }
            let other = try await harness.signUp()
            #expect(try await harness.send(.get, "/v1/invoices/\(invoice.id)", token: other.ownerToken).status == .notFound)
            #expect(try await harness.send(.get, "/v1/invoices/\(invoice.id)", token: organization.ownerToken).status == .ok)
            #expect(try await harness.invoices(other).isEmpty)
        }
    }

    @Test("payment methods are provider references only: card data and unknown references are refused")
    func paymentMethods() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp()
            let cardNumber = try await harness.send(.post, "/v1/payment-methods", token: organization.ownerToken, json: #"{"providerReference":"4242424242424242"}"#)
            #expect(cardNumber.status == .unprocessableContent)
            let unknown = try await harness.addCard(organization, "pm_card_unknown")
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.problemCode == "payment_method_rejected")
            let visa = try await harness.addCard(organization, "pm_card_visa").decoded(PaymentMethodController.MethodResponse.self)
            #expect(visa.isDefault && visa.last4 == "4242" && visa.brand == "visa")
            #expect(try await harness.addCard(organization, "pm_card_visa").status == .conflict)
            let master = try await harness.addCard(organization, "pm_card_mastercard").decoded(PaymentMethodController.MethodResponse.self)
            #expect(!master.isDefault)
            #expect(try await harness.send(.delete, "/v1/payment-methods/\(visa.id)", token: organization.ownerToken).status == .noContent)
            let list = try await harness.send(.get, "/v1/payment-methods", token: organization.ownerToken)
                .decoded(PaymentMethodController.MethodList.self).items
            #expect(list.map(\.last4) == ["4444"])
            #expect(list.first?.isDefault == true)
        }
    }
}
