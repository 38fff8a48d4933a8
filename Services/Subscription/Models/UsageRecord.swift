import ERPProtocol
import Foundation

/// One metered quantity taken from one event.
struct UsageRecord: Sendable, Hashable {
    var eventID: EventID
    var metric: EntitlementMetric
    var value: Int64
    /// What UNIQUE COUNT counts (e.g. a user id).
    var uniqueKey: String?
    var occurredAt: Date
}
