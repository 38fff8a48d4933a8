import ERPProtocol
import Foundation
import Hummingbird

/// A delivery as the API shows it (no message bodies in lists; the webhook payload never).
struct DeliveryResponse: ResponseCodable {
    var id: UUID
    var eventId: UUID
    var eventType: String
    var channel: Channel
    var target: String
    var userId: UUID?
    var webhookEndpointId: UUID?
    var subject: String
    var status: DeliveryStatus
    var attempts: Int
    var maxAttempts: Int
    var nextAttemptAt: Date?
    var lastError: String?
    var createdAt: Date
    var sentAt: Date?
    var attemptLog: [DeliveryAttempt]?

    init(_ delivery: Delivery, attempts log: [DeliveryAttempt]? = nil) {
        id = delivery.id
        eventId = delivery.eventID
        eventType = delivery.eventType
        channel = delivery.channel
        target = delivery.target
        userId = delivery.userID
        webhookEndpointId = delivery.webhookEndpointID
        subject = delivery.message.subject
        status = delivery.status
        attempts = delivery.attempts
        maxAttempts = delivery.maxAttempts
        nextAttemptAt = delivery.status.isFinal ? nil : delivery.nextAttemptAt
        lastError = delivery.lastError
        createdAt = delivery.createdAt
        sentAt = delivery.sentAt
        attemptLog = log
    }
}
