import ERPProtocol
import ERPTestSupport
import Foundation
import Testing

@testable import NotificationService

@Suite("Notification: preferences")
struct PreferenceTests {
    static func paymentFailed(_ tenant: TenantID, invoice: String = "INV-2026-0042") -> EventEnvelope<PaymentEvent> {
        EventEnvelope(
            type: EventType.Subscription.paymentFailed, tenantID: tenant, subject: UUID().uuidString.lowercased(),
            data: PaymentEvent(paymentId: UUID(), invoiceId: UUID(), invoiceNumber: invoice, amount: Money(amountMinor: 2900, currency: CurrencyCode("USD")!),
                               attempt: 1, failureCode: "card_declined", failureMessage: "Your card was declined.", nextAttemptAt: nil)
        )
    }

    static func passwordReset(_ organization: TestOrganization) -> EventEnvelope<UserTokenIssued> {
        EventEnvelope(
            type: EventType.Auth.passwordResetRequested, tenantID: organization.tenant, subject: organization.owner.description,
            data: UserTokenIssued(userId: organization.owner, email: organization.ownerEmail, name: "Zoë Owner", token: "tok_123",
                                  url: "https://app.example.com/reset/tok_123", expiresAt: Date().addingTimeInterval(3600))
        )
    }

    @Test("an owner who opted out of email gets no payment-failed mail, but the transactional password reset still arrives")
    func optOutRespectedTransactionalSent() async throws {
        try await NotificationHarness.run { harness in
            let organization = try await harness.signUp()
            let token = try harness.token(tenant: organization.tenant, user: organization.owner, permissions: NotificationHarness.userPermissions)
            let optOut = try await harness.send(.put, "/v1/preferences/email", token: token, json: #"{"optedIn":false}"#, headers: .ifMatch(0))
            #expect(optOut.status == .ok, "\(optOut.text)")

            #expect(try await harness.deliver(Self.paymentFailed(organization.tenant)) == .handled)
            #expect(try await harness.deliver(Self.passwordReset(organization)) == .handled)
            try await harness.sweep()

            let deliveries = try await harness.deliveries(organization.tenant)
            #expect(!deliveries.contains { $0.eventType == EventType.Subscription.paymentFailed.rawValue && $0.channel == .email })
            // In-app was not opted out of: the owner still sees the failure in the product.
            #expect(deliveries.contains { $0.eventType == EventType.Subscription.paymentFailed.rawValue && $0.channel == .inApp && $0.status == .sent })
            let mails = try await Maildir.await(organization.ownerEmail, count: 2)
            let subjects = mails.map { Maildir.decodeWords(Maildir.header("Subject", in: $0) ?? "") }.sorted()
            #expect(subjects == ["Reset your password", "Welcome to ERP, Zoë Owner!"])
            let reset = try #require(mails.first { Maildir.decodeWords(Maildir.header("Subject", in: $0) ?? "") == "Reset your password" })
            #expect(Maildir.decodeQuotedPrintable(reset).contains("https://app.example.com/reset/tok_123"))
        }
    }

    @Test("quiet hours hold a non-transactional mail until they end; bad input is a 422")
    func quietHours() async throws {
        try await NotificationHarness.run { harness in
            let organization = try await harness.signUp()
            let token = try harness.token(tenant: organization.tenant, user: organization.owner, permissions: NotificationHarness.userPermissions)
            let bad = try await harness.send(.put, "/v1/preferences/email", token: token, json: #"{"quietHoursStart":"25:00","quietHoursEnd":"07:00","timeZone":"Mars/Base"}"#, headers: .ifMatch(0))
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("quietHoursStart") && bad.text.contains("timeZone"))
            // Quiet all day but one minute: whatever the time, the mail waits.
            let now = harness.clock.now()
            let minute = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: now)
            let end = ((minute.hour! * 60 + minute.minute!) + 120) % 1440
            let start = (end + 1) % 1440
            let body = #"{"quietHoursStart":"\#(PreferenceController.PreferenceResponse.clock(start))","quietHoursEnd":"\#(PreferenceController.PreferenceResponse.clock(end))"}"#
            #expect(try await harness.send(.put, "/v1/preferences/email", token: token, json: body, headers: .ifMatch(0)).status == .ok)
            #expect(try await harness.deliver(Self.paymentFailed(organization.tenant)) == .handled)
            try await harness.sweep()
            let held = try #require(try await harness.deliveries(organization.tenant).first { $0.eventType == EventType.Subscription.paymentFailed.rawValue && $0.channel == .email })
            #expect(held.status == .queued)
            harness.clock.advance(seconds: 2 * 3600 + 60)
            try await harness.sweep()
            let sent = try #require(try await harness.deliveries(organization.tenant).first { $0.id == held.id })
            #expect(sent.status == .sent)
        }
    }

    @Test("digest mode holds a user's mails until 08:00 and sends them as one; transactional mails still go at once")
    func dailyDigest() async throws {
        try await NotificationHarness.run { harness in
            let organization = try await harness.signUp()
            let token = try harness.token(tenant: organization.tenant, user: organization.owner, permissions: NotificationHarness.userPermissions)
            let digest = try await harness.send(.put, "/v1/preferences/email", token: token, json: #"{"mode":"digest"}"#, headers: .ifMatch(0))
            #expect(digest.status == .ok, "\(digest.text)")
            let invoices = ["INV-2026-0101", "INV-2026-0102", "INV-2026-0103"]
            for invoice in invoices {
                #expect(try await harness.deliver(Self.paymentFailed(organization.tenant, invoice: invoice)) == .handled)
            }
            #expect(try await harness.deliver(Self.passwordReset(organization)) == .handled)
            try await harness.sweep()
            var held = try await harness.deliveries(organization.tenant).filter {
                $0.eventType == EventType.Subscription.paymentFailed.rawValue && $0.channel == .email
            }
            #expect(held.count == 3 && held.allSatisfy { $0.status == .queued && $0.digest })
            // The reset is transactional: it went at once, next to the welcome mail.
            #expect(try await Maildir.await(organization.ownerEmail, count: 2).count == 2)

            // Just past the next 08:00 (UTC, the preference's default time zone).
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let eight = try #require(calendar.nextDate(after: harness.clock.now(), matching: DateComponents(hour: 8, minute: 0), matchingPolicy: .nextTime))
            harness.clock.advance(seconds: eight.timeIntervalSince(harness.clock.now()) + 60)
            try await harness.sweep()
            held = try await harness.deliveries(organization.tenant).filter { held.map(\.id).contains($0.id) }
            #expect(held.allSatisfy { $0.status == .sent }, "\(held.map(\.status))")
            let mails = try await Maildir.await(organization.ownerEmail, count: 3)
            #expect(mails.count == 3, "welcome, reset and one digest")
            let combined = try #require(mails.first { Maildir.decodeWords(Maildir.header("Subject", in: $0) ?? "") == "Your ERP digest: 3 notifications" })
            let body = Maildir.decodeQuotedPrintable(combined)
            #expect(invoices.allSatisfy { body.contains($0) })
        }
    }
}
