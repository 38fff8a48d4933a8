import ERPProtocol
import Foundation

/// One message to one recipient over one channel, and where it stands.
struct Delivery: Sendable, Equatable {
    var id: UUID
    var tenantID: TenantID
    var eventID: UUID
    var eventType: String
    var eventTime: Date
    var channel: Channel
    /// An email address, a user id (in-app), a phone number, or a webhook endpoint id.
    var target: String
    var userID: UUID?
    var webhookEndpointID: UUID?
    var message: RenderedMessage
    /// The webhook body (the event envelope) or the in-app data.
    var payload: JSONValue?
    var status: DeliveryStatus
    var attempts: Int
    var maxAttempts: Int
    var nextAttemptAt: Date?
    var lastError: String?
    var providerReference: String?
    var createdAt: Date
    var sentAt: Date?
    /// An email held for the recipient's daily digest: sent together with their other due ones.
    var digest = false
}
