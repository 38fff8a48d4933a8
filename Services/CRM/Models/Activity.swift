import ERPProtocol
import Foundation

/// What kind of activity: something that happened (call, email, meeting, note) or is to be done (task).
enum ActivityKind: String, Sendable, Hashable, Codable, CaseIterable {
    case call, email, meeting, note, task
}

/// A call, email, meeting, note or task on one record.
struct Activity: Sendable, Hashable {
    @LowercaseUUID var id: UUID
    var kind: ActivityKind
    var subject: String
    var body: String
    var recordType: RecordType
    @LowercaseUUID var recordID: UUID
    var occurredAt: Date
    var dueAt: Date?
    var done: Bool
    var doneAt: Date?
    var doneBy: String?
    var durationMinutes: Int?
    var ownerID: UserID?
    var version: Int64
    var createdBy: String
    var createdAt: Date
    var updatedAt: Date
    var deletedAt: Date?

    var event: ActivityEvent {
        ActivityEvent(
            activityId: id, kind: kind.rawValue, subject: subject, recordType: recordType.rawValue, recordId: recordID, dueAt: dueAt, done: done,
            ownerId: ownerID, version: version)
    }
}
