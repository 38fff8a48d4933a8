import Foundation

/// A tenant's HTTPS endpoint that receives the events it subscribed to, signed.
struct WebhookEndpoint: Sendable, Equatable {
    var id: UUID
    var url: String
    /// Event types, or `*` for every event the service sees.
    var eventTypes: [String]
    /// The signing secret sealed with `SecretBox` (see `WebhookEndpoint+Secret`); never stored in clear.
    var sealedSecret: [UInt8]
    var enabled: Bool
    var consecutiveFailures: Int
    var disabledAt: Date?
    var disabledReason: String?
    var version: Int
    var createdAt: Date
}
