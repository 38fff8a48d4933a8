import ERPCrypto
import ERPProtocol
import ERPTestSupport
import Foundation
import Testing

@testable import NotificationService

/// Rotating NOTIFICATION_SECRET_KEY: the old key moves to NOTIFICATION_SECRET_KEY_PREVIOUS, endpoints
/// sealed under it keep delivering, and each is re-sealed under the new key at its next delivery.
@Suite("Notification: secret key rotation")
struct SecretKeyRotationTests {
    @Test("an endpoint sealed under the previous key is signed correctly and re-sealed under the current key")
    func previousKeyStillSignsAndIsResealed() async throws {
        let oldKey = SecureRandom.bytes(count: 32)
        let receiver = WebhookReceiver(failures: 0)
        try await receiver.run { url in
            try await NotificationHarness.run(configure: { $0.previousSecretKeys = [oldKey] }) { harness in
                let tenant = TenantID.random()
                let token = try harness.token(tenant: tenant)
                let created = try await harness.createWebhook(url, eventTypes: ["erp.subscription.payment.failed"], token: token)
                #expect(created.status == .created, "\(created.text)")
                let endpoint = try created.decoded(WebhookController.EndpointResponse.self)
                let secret = try #require(endpoint.secret)
                // As it was stored before the rotation: sealed under the old key.
                let purpose = WebhookEndpoint.secretPurpose(endpoint.id)
                let sealedUnderOld = try SecretBox(key: oldKey).seal(Array(secret.utf8), purpose: purpose)
                try await harness.dependencies.inTenant(tenant) { connection in
                    try await connection.execute("UPDATE webhook_endpoints SET sealed_secret = \(sealedUnderOld) WHERE id = \(endpoint.id)")
                }

                #expect(try await harness.deliver(PreferenceTests.paymentFailed(tenant)) == .handled)
                try await harness.sweep()
                let request = try #require(receiver.requests.first)
                #expect(request.status == 200)
                #expect(WebhookSignature.verify(try #require(request.signature), body: request.body, secret: secret, now: harness.clock.now(), tolerance: 600))

                let stored = try await harness.dependencies.inTenant(tenant) { connection in
                    try await connection.query("SELECT sealed_secret FROM webhook_endpoints WHERE id = \(endpoint.id)").map { try $0.decode([UInt8].self, at: 0) }
                }
                let resealed = try #require(stored.first)
                #expect(resealed != sealedUnderOld)
                // The current key alone opens it now, so the previous key can be dropped.
                #expect(try SecretBox(key: harness.dependencies.configuration.secretKey).open(resealed, purpose: purpose) == Array(secret.utf8))
                #expect(throws: (any Error).self) { try SecretBox(key: oldKey).open(resealed, purpose: purpose) }
            }
        }
    }

    @Test("NOTIFICATION_SECRET_KEY_PREVIOUS must hold keys; a bad one stops the service from starting")
    func previousKeysConfiguration() throws {
        let current = NotificationConfigurationTests.key
        let old = SecureRandom.bytes(count: 32)
        let good = try NotificationConfigurationTests.read([
            "NOTIFICATION_SECRET_KEY": current, "NOTIFICATION_SECRET_KEY_PREVIOUS": Data(old).base64EncodedString(),
        ])
        #expect(good.previousSecretKeys == [old])
        #expect(try NotificationConfigurationTests.read(["NOTIFICATION_SECRET_KEY": current]).previousSecretKeys.isEmpty)
        #expect {
            try NotificationConfigurationTests.read(["NOTIFICATION_SECRET_KEY": current, "NOTIFICATION_SECRET_KEY_PREVIOUS": "not-a-key"])
        } throws: { error in
            String(describing: error).contains("NOTIFICATION_SECRET_KEY_PREVIOUS")
        }
    }
}
