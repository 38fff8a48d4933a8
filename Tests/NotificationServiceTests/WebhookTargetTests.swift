import ERPProtocol
import ERPTestSupport
import Foundation
import Synchronization
import Testing

@testable import NotificationService

/// The SSRF guard: webhook URLs that reach loopback, private, link-local, multicast or
/// unspecified addresses are refused when registered and again when delivered to.
@Suite("Notification: webhook targets (SSRF guard)")
struct WebhookTargetTests {
    static let forbidden = [
        "http://127.0.0.1:8088/hooks", "http://localhost/hooks", "http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/hooks",
        "http://172.16.0.1/hooks", "http://172.31.255.255/hooks", "http://192.168.1.1/hooks", "http://0.0.0.0/hooks", "http://224.0.0.1/hooks",
        "http://2130706433/hooks", "http://[::1]/hooks", "http://[fe80::1]/hooks", "http://[fc00::1]/hooks", "http://[fd12:3456::1]/hooks",
        "http://[::]/hooks", "http://[ff02::1]/hooks", "http://[::ffff:127.0.0.1]/hooks", "http://[::ffff:169.254.169.254]/hooks",
    ]

    @Test("a URL whose host is or resolves to a non-public address, or not http(s), is a 422 naming url, and nothing is stored")
    func refusedAtRegistration() async throws {
        try await NotificationHarness.run(configure: { $0.webhookAllowPrivate = false }) { harness in
            let tenant = TenantID.random()
            let token = try harness.token(tenant: tenant)
            for url in Self.forbidden + ["ftp://example.com/hooks", "file:///etc/passwd", "gopher://93.184.215.14/x"] {
                let response = try await harness.createWebhook(url, token: token)
                #expect(response.status == .unprocessableContent, "\(url): \(response.status)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(url)")
                let problem = try response.decoded(ProblemDetails.self)
                #expect(problem.code == .validationFailed && problem.errors?.map(\.field) == ["url"], "\(url): \(response.text)")
            }
            let list = try await harness.send(.get, "/v1/webhooks", token: token)
            #expect(try list.decoded(WebhookController.EndpointList.self).items.isEmpty)

            // A public address is accepted; changing it to a private one later is refused the same way.
            let created = try await harness.createWebhook("https://93.184.215.14/hooks", token: token)
            #expect(created.status == .created, "\(created.text)")
            let endpoint = try created.decoded(WebhookController.EndpointResponse.self)
            let moved = try await harness.send(
                .put, "/v1/webhooks/\(endpoint.id.uuidString.lowercased())", token: token,
                json: #"{"url":"http://169.254.169.254/latest/meta-data/","eventTypes":["*"]}"#, headers: .ifMatch(1)
            )
            #expect(moved.status == .unprocessableContent)
            let shown = try await harness.send(.get, "/v1/webhooks/\(endpoint.id.uuidString.lowercased())", token: token)
            #expect(try shown.decoded(WebhookController.EndpointResponse.self).url == "https://93.184.215.14/hooks")
        }
    }

    @Test("an endpoint that reaches a forbidden address by delivery time fails that attempt for good, and nothing is sent")
    func refusedAtDelivery() async throws {
        // As if its name had resolved to a public address when it was registered (DNS changes).
        let (delivery, requests) = try await Self.firstAttempt(path: "/hooks", allowPrivate: false)
        #expect(delivery.status == .failed && delivery.attempts == 1)
        #expect(delivery.lastError?.hasPrefix("webhook target refused: the host 127.0.0.1 is or resolves to a loopback") == true, "\(delivery.lastError ?? "-")")
        #expect(requests.isEmpty)
    }

    @Test("a redirect is not followed (it could lead anywhere the check refused): the attempt fails with the 3xx")
    func redirectNotFollowed() async throws {
        let (delivery, requests) = try await Self.firstAttempt(path: "/moved", allowPrivate: true)
        #expect(delivery.status == .retrying && delivery.lastError == "endpoint answered 307", "\(delivery.lastError ?? "-")")
        #expect(requests.isEmpty)
    }

    /// One event to an endpoint at `path` of a loopback receiver, stored without the registration's
    /// check; the webhook delivery after its first attempt, and what the receiver's /hooks got.
    static func firstAttempt(path: String, allowPrivate: Bool) async throws -> (Delivery, [WebhookReceiver.Received]) {
        let receiver = WebhookReceiver(failures: 0)
        let result = Mutex<Delivery?>(nil)
        try await receiver.run { url in
            try await NotificationHarness.run(configure: { $0.webhookAllowPrivate = allowPrivate }) { harness in
                let tenant = TenantID.random()
                let id = UUID()
                let endpoint = WebhookEndpoint(
                    id: id, url: url.replacingOccurrences(of: "/hooks", with: path), eventTypes: ["*"],
                    sealedSecret: try WebhookEndpoint.sealSecret("whsec_test", endpoint: id, with: harness.dependencies.secrets),
                    enabled: true, consecutiveFailures: 0, disabledAt: nil, disabledReason: nil, version: 1, createdAt: Date()
                )
                try await harness.dependencies.inTenant(tenant) { try await WebhookRepository($0).create(endpoint, tenant: tenant) }
                #expect(try await harness.deliver(PreferenceTests.paymentFailed(tenant)) == .handled)
                try await harness.sweep()
                let delivery = try await harness.deliveries(tenant).first { $0.channel == .webhook }
                result.withLock { $0 = delivery }
            }
        }
        return (try #require(result.withLock { $0 }), receiver.requests)
    }

    @Test("public unicast addresses pass; the forbidden ranges do not", arguments: [
        ([8, 8, 8, 8], false), ([93, 184, 215, 14], false), ([172, 32, 0, 1], false), ([100, 128, 0, 1], false), ([11, 0, 0, 1], false),
        ([127, 0, 0, 2], true), ([100, 64, 0, 1], true), ([169, 254, 0, 1], true), ([255, 255, 255, 255], true), ([240, 0, 0, 1], true),
        ([0x20, 0x01, 0x48, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0x88], false),
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 8, 8, 8, 8], false),
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1], true),
        ([0xfe, 0xbf, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], true),
        ([0xfe, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], false),
    ] as [([UInt8], Bool)])
    func addressRanges(address: [UInt8], forbidden: Bool) {
        #expect(WebhookTargetPolicy.isForbidden(address) == forbidden)
    }
}
