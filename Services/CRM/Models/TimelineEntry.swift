import ERPProtocol
import Foundation

/// Something that happened to a record: one of its own events or another service's event about it.
struct TimelineEntry: Sendable, Hashable {
    var id: UUID
    var recordType: RecordType
    var recordID: UUID
    var occurredAt: Date
    /// The producing service (`crm`, `finance`, …).
    var source: String
    var eventType: String
    var eventID: UUID
    var actor: String?
    var summary: String
    /// The event's payload.
    var data: JSONValue
}
