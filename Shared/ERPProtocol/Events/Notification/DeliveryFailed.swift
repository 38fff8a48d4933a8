import Foundation

/// `erp.notification.delivery.failed`: a delivery used up its attempts (or was refused for
/// good) and is dead. Carries no message content, only what identifies it.
public struct DeliveryFailed: Codable, Sendable, Hashable {
    public var deliveryId: UUID
    public var eventId: UUID
    public var eventType: String
    /// `email`, `in_app`, `sms` or `webhook`.
    public var channel: String
    public var attempts: Int
    public var lastError: String?
    public var webhookEndpointId: UUID?

    public init(deliveryId: UUID, eventId: UUID, eventType: String, channel: String, attempts: Int, lastError: String?, webhookEndpointId: UUID?) {
        self.deliveryId = deliveryId
        self.eventId = eventId
        self.eventType = eventType
        self.channel = channel
        self.attempts = attempts
        self.lastError = lastError
        self.webhookEndpointId = webhookEndpointId
    }
}
