import Foundation

/// A tenant's HTTPS endpoint that receives the events it subscribed to, signed.
struct WebhookEndpoint: Sendable, Equatable {
    var id: UUID
    var url: String
    /// Event types, or `*` for every event the service sees.
    var eventTypes: [String]
    var secret: String
    var enabled: Bool
    var consecutiveFailures: Int
    var disabledAt: Date?
    var disabledReason: String?
    var version: Int
    var createdAt: Date
}
