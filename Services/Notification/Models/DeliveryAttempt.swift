import Foundation

/// One try of a delivery, as logged.
struct DeliveryAttempt: Sendable, Equatable, Codable {
    var attempt: Int
    var startedAt: Date
    var durationMs: Int
    var succeeded: Bool
    var statusCode: Int?
    var error: String?
}
