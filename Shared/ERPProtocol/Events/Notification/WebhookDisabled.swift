import Foundation

/// `erp.notification.webhook.disabled`: an endpoint failed too many times in a row and gets no
/// more deliveries until a tenant admin enables it again.
public struct WebhookDisabled: Codable, Sendable, Hashable {
    public var endpointId: UUID
    public var url: String
    public var consecutiveFailures: Int
    public var reason: String

    public init(endpointId: UUID, url: String, consecutiveFailures: Int, reason: String) {
        self.endpointId = endpointId
        self.url = url
        self.consecutiveFailures = consecutiveFailures
        self.reason = reason
    }
}
