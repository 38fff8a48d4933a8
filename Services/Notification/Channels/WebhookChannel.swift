import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// POSTs the event envelope to a tenant's endpoint, signed (see `WebhookSignature`).
///
/// Headers: `Content-Type: application/json`, `ERP-Webhook-Id` (the delivery id: the same on
/// every retry, for the receiver's deduplication), `ERP-Event-Type`, `ERP-Signature`.
struct WebhookChannel: Sendable {
    let httpClient: HTTPClient
    let timeout: TimeAmount

    func send(_ delivery: Delivery, endpoint: WebhookEndpoint, body: [UInt8], now: Date) async -> ChannelOutcome {
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "erp-notification-webhooks/1")
        request.headers.add(name: "ERP-Webhook-Id", value: delivery.id.uuidString.lowercased())
        request.headers.add(name: "ERP-Event-Type", value: delivery.eventType)
        request.headers.add(name: WebhookSignature.header, value: WebhookSignature.sign(body: body, secret: endpoint.secret, timestamp: Int(now.timeIntervalSince1970)))
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await httpClient.execute(request, timeout: timeout)
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
