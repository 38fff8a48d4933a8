import ERPProtocol
import ERPTestSupport
import Foundation
import Testing

@testable import NotificationService

/// A digest that cannot be sent retries as a whole: every held mail in it keeps its own row and
/// attempt, all fall due again together, and the retry sends one combined mail.
@Suite("Notification: digest retries")
struct DigestRetryTests {
    @Test("a failed digest retries as one: every held mail retrying with the same due time, then one mail")
    func failedDigestRetriesAsOne() async throws {
        // Nothing listens on the port at first: every send is a (transient) connection failure.
        let port = FreePort.find()
        try await NotificationHarness.run(configure: {
            $0.smtp = try! SMTPConfiguration(url: "smtp://127.0.0.1:\(port)?starttls=never&timeout=5")
        }) { harness in
            let organization = try await harness.signUp()
            let token = try harness.token(tenant: organization.tenant, user: organization.owner, permissions: NotificationHarness.userPermissions)
            let digest = try await harness.send(.put, "/v1/preferences/email", token: token, json: #"{"mode":"digest"}"#, headers: .ifMatch(0))
            #expect(digest.status == .ok, "\(digest.text)")
            let invoices = ["INV-2026-0201", "INV-2026-0202"]
            for invoice in invoices {
                #expect(try await harness.deliver(PreferenceTests.paymentFailed(organization.tenant, invoice: invoice)) == .handled)
            }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let eight = try #require(calendar.nextDate(after: harness.clock.now(), matching: DateComponents(hour: 8, minute: 0), matchingPolicy: .nextTime))
            harness.clock.advance(seconds: eight.timeIntervalSince(harness.clock.now()) + 60)
            try await harness.sweep()

            var held = try await harness.deliveries(organization.tenant).filter { $0.digest }
            #expect(held.count == 2)
            #expect(held.allSatisfy { $0.status == .retrying && $0.attempts == 1 && $0.lastError != nil }, "\(held.map { ($0.status, $0.attempts) })")
            let due = Set(held.compactMap(\.nextAttemptAt))
            #expect(due.count == 1, "one retry time for the whole digest: \(due)")
            let retryAt = try #require(due.first)
            // ±20 % around the harness's 10 s base.
            #expect(retryAt.timeIntervalSince(harness.clock.now()) >= 8 && retryAt.timeIntervalSince(harness.clock.now()) <= 12)

            try await TLSMailServer.run(.open, port: port) { server in
                harness.clock.advance(seconds: retryAt.timeIntervalSince(harness.clock.now()) + 1)
                try await harness.sweep()
                held = try await harness.deliveries(organization.tenant).filter { $0.digest }
                #expect(held.allSatisfy { $0.status == .sent && $0.attempts == 2 }, "\(held.map { ($0.status, $0.attempts) })")
                let digests = server.mails.filter { Maildir.decodeWords(Maildir.header("Subject", in: $0) ?? "") == "Your ERP digest: 2 notifications" }
                #expect(digests.count == 1, "\(server.mails.count) mails")
                let body = Maildir.decodeQuotedPrintable(try #require(digests.first))
                #expect(invoices.allSatisfy { body.contains($0) })
            }
        }
    }
}
