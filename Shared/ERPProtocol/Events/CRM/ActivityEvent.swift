import Foundation

/// The payload of `erp.crm.activity.logged`, `.updated`, `.completed` and `.deleted`: a call,
/// email, meeting, note or task on a CRM record. Notification reminds owners of due tasks.
public struct ActivityEvent: Codable, Sendable, Hashable {
    public var activityId: UUID
    /// `call`, `email`, `meeting`, `note` or `task`.
    public var kind: String
    public var subject: String
    /// `company`, `contact`, `lead` or `opportunity`.
    public var recordType: String
    public var recordId: UUID
    public var dueAt: Date?
    public var done: Bool
    public var ownerId: UserID?
    public var version: Int64

    public init(
        activityId: UUID, kind: String, subject: String, recordType: String, recordId: UUID, dueAt: Date?, done: Bool, ownerId: UserID?,
        version: Int64
    ) {
        self.activityId = activityId
        self.kind = kind
        self.subject = subject
        self.recordType = recordType
        self.recordId = recordId
        self.dueAt = dueAt
        self.done = done
        self.ownerId = ownerId
        self.version = version
    }
}
