import ERPCrypto
import ERPProtocol
import ERPTestSupport
import Foundation
import Testing

@testable import NotificationService

@Suite("Notification: webhooks")
struct WebhookTests {
    @Test("a receiver that fails twice then succeeds gets one successful delivery after three attempts, each signed correctly")
    func retriesUntilSuccess() async throws {
        let receiver = WebhookReceiver(failures: 2)
        try await receiver.run { url in
            try await NotificationHarness.run { harness in
                let tenant = TenantID.random()
                let token = try harness.token(tenant: tenant)
                let created = try await harness.createWebhook(url, eventTypes: ["erp.subscription.payment.failed"], token: token)
                #expect(created.status == .created, "\(created.text)")
                let secret = try #require(try created.decoded(WebhookController.EndpointResponse.self).secret)
                #expect(!(try await harness.send(.get, "/v1/webhooks", token: token).text.contains(secret)))
                try await Self.expectSealed(secret, endpoint: try created.decoded(WebhookController.EndpointResponse.self).id, tenant: tenant, harness: harness)

                let event = PreferenceTests.paymentFailed(tenant)
                #expect(try await harness.deliver(event) == .handled)
                try await harness.sweep()
                // Exponential backoff with jitter: 10 s · 2^(n−1) ± 20 %.
                harness.clock.advance(seconds: 12.5)
                try await harness.sweep()
                harness.clock.advance(seconds: 25)
                try await harness.sweep()

                let requests = receiver.requests
                #expect(requests.map(\.status) == [500, 500, 200])
                #expect(Set(requests.compactMap(\.webhookID)).count == 1)
                for request in requests {
                    #expect(WebhookSignature.verify(try #require(request.signature), body: request.body, secret: secret, now: harness.clock.now(), tolerance: 600))
                    #expect(!WebhookSignature.verify(try #require(request.signature), body: request.body + [32], secret: secret, now: harness.clock.now(), tolerance: 600))
                    let envelope = try ERPJSON.decode(EventEnvelope<PaymentEvent>.self, from: Data(request.body))
                    #expect(envelope.id == event.id)
                }
                let delivery = try #require(try await harness.deliveries(tenant).first { $0.channel == .webhook })
                #expect(delivery.status == .sent && delivery.attempts == 3)
                let detail = try await harness.send(.get, "/v1/deliveries/\(delivery.id.uuidString.lowercased())", token: token)
                let log = try #require(try detail.decoded(DeliveryResponse.self).attemptLog)
                #expect(log.map(\.statusCode) == [500, 500, 200])
                #expect(log.map(\.succeeded) == [false, false, true])
            }
        }
    }

    /// What the database holds is the secret sealed under NOTIFICATION_SECRET_KEY for this endpoint, not the secret.
    static func expectSealed(_ secret: String, endpoint id: UUID, tenant: TenantID, harness: NotificationHarness) async throws {
        let stored = try await harness.dependencies.inTenant(tenant) { connection in
            try await connection.query("SELECT sealed_secret FROM webhook_endpoints WHERE id = \(id)").map { try $0.decode([UInt8].self, at: 0) }
        }
        let sealed = try #require(stored.first)
        #expect(sealed.count == AES256GCM.nonceLength + secret.utf8.count + AES256GCM.tagLength)
        #expect(!Hex.encode(sealed).contains(Hex.encode(Array(secret.utf8))))
        #expect(try harness.dependencies.secrets.open(sealed, purpose: WebhookEndpoint.secretPurpose(id)) == Array(secret.utf8))
        #expect(throws: (any Error).self) { try SecretBox(key: SecureRandom.bytes(count: 32)).open(sealed, purpose: WebhookEndpoint.secretPurpose(id)) }
        #expect(throws: (any Error).self) { try harness.dependencies.secrets.open(sealed, purpose: WebhookEndpoint.secretPurpose(UUID())) }
    }

    @Test("an endpoint that keeps failing is disabled with webhook.disabled, and its dead delivery emits delivery.failed")
    func autoDisable() async throws {
        let receiver = WebhookReceiver(failures: 1000)
        try await receiver.run { url in
            try await NotificationHarness.run(configure: { $0.webhookMaxAttempts = 3; $0.webhookDisableAfter = 3 }) { harness in
                let tenant = TenantID.random()
                let token = try harness.token(tenant: tenant)
                let created = try await harness.createWebhook(url, token: token)
                let endpoint = try created.decoded(WebhookController.EndpointResponse.self)
                #expect(try await harness.deliver(PreferenceTests.paymentFailed(tenant)) == .handled)
                for _ in 0..<3 {
                    try await harness.sweep()
                    harness.clock.advance(seconds: 3600)
                }
                #expect(receiver.requests.count == 3)
                let shown = try await harness.send(.get, "/v1/webhooks/\(endpoint.id.uuidString.lowercased())", token: token)
                let state = try shown.decoded(WebhookController.EndpointResponse.self)
                #expect(!state.enabled && state.disabledReason != nil)
                let types = try await harness.outboxTypes(tenant)
                #expect(types.contains(EventType.Notification.webhookDisabled.rawValue))
                #expect(types.contains(EventType.Notification.deliveryFailed.rawValue))
                let dead = try await harness.send(.get, "/v1/deliveries?status=dead&channel=webhook", token: token)
                #expect(try dead.decoded(Page<DeliveryResponse>.self).items.count == 1)
                // Disabled: the next event sends nothing to it.
                #expect(try await harness.deliver(PreferenceTests.paymentFailed(tenant)) == .handled)
                #expect(try await harness.deliveries(tenant).filter { $0.channel == .webhook }.count == 1)
            }
        }
    }
}
