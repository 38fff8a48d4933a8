import AsyncHTTPClient
import ERPCrypto
import Foundation
import NIOCore
import NIOHTTP1

/// POSTs the event envelope to a tenant's endpoint, signed (see `WebhookSignature`).
///
/// Headers: `Content-Type: application/json`, `ERP-Webhook-Id` (the delivery id: the same on
/// every retry, for the receiver's deduplication), `ERP-Event-Type`, `ERP-Signature`.
///
/// The target is checked (`WebhookTargetPolicy`) before each attempt; a forbidden one fails the
/// delivery for good. Redirects are not followed: a receiver could otherwise bounce the request
/// to an address the check refused (the metadata endpoint, a loopback port).
struct WebhookChannel: Sendable {
    let timeout: TimeAmount
    let policy: WebhookTargetPolicy
    /// Opens the endpoint's signing secret (sealed at rest).
    let secrets: SecretBox

    /// Its own client for the no-redirect setting; process-wide, never shut down (it lives as
    /// long as the process, so there is nothing to leak).
    static let httpClient = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(30)))
    )

    func send(_ delivery: Delivery, endpoint: WebhookEndpoint, body: [UInt8], now: Date) async -> ChannelOutcome {
        if let refusal = await policy.refusal(for: endpoint.url) {
            return .failed("webhook target refused: \(refusal)", permanent: true)
        }
        let secret: String
        do {
            secret = try endpoint.secret(openedWith: secrets)
        } catch {
            return .failed("the endpoint's signing secret cannot be opened (NOTIFICATION_SECRET_KEY changed?); create the endpoint again", permanent: true)
        }
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "erp-notification-webhooks/1")
        request.headers.add(name: "ERP-Webhook-Id", value: delivery.id.uuidString.lowercased())
        request.headers.add(name: "ERP-Event-Type", value: delivery.eventType)
        request.headers.add(name: WebhookSignature.header, value: WebhookSignature.sign(body: body, secret: secret, timestamp: Int(now.timeIntervalSince1970)))
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await Self.httpClient.execute(request, timeout: timeout)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let code = Int(response.status.code)
            if (200..<300).contains(code) { return .sent(statusCode: code) }
            // A receiver that answers 4xx (but not 408/429) refuses the payload itself; 410 Gone too.
            let permanent = (400..<500).contains(code) && code != 408 && code != 429
            return .failed("endpoint answered \(code)", statusCode: code, permanent: permanent)
        } catch {
            return .failed("request failed: \(String(describing: type(of: error)))")
        }
    }
}
