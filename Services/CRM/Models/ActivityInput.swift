import ERPProtocol
import Foundation

/// A new activity as a client sends it.
struct ActivityInput: Decodable, Sendable {
    var kind: ActivityKind
    var subject: String?
    var body: String?
    var recordType: RecordType
    var recordId: UUID
    /// Default: now.
    var occurredAt: Date?
    /// Tasks only.
    var dueAt: Date?
    var durationMinutes: Int?
    var ownerId: UserID?
}

/// A PATCH of an activity (its record and kind stay; `done` completes or reopens a task).
struct ActivityPatch: Decodable, Sendable {
    var subject: Patch<String> = .absent
    var body: Patch<String> = .absent
    var occurredAt: Patch<Date> = .absent
    var dueAt: Patch<Date> = .absent
    var durationMinutes: Patch<Int> = .absent
    var ownerId: Patch<UserID> = .absent
    var done: Patch<Bool> = .absent

    private enum CodingKeys: String, CodingKey {
        case subject, body, occurredAt, dueAt, durationMinutes, ownerId, done
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(["subject", "body", "occurredAt", "dueAt", "durationMinutes", "ownerId", "done"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        subject = try container.patch(String.self, forKey: .subject)
        body = try container.patch(String.self, forKey: .body)
        occurredAt = try container.patch(Date.self, forKey: .occurredAt)
        dueAt = try container.patch(Date.self, forKey: .dueAt)
        durationMinutes = try container.patch(Int.self, forKey: .durationMinutes)
        ownerId = try container.patch(UserID.self, forKey: .ownerId)
        done = try container.patch(Bool.self, forKey: .done)
    }
}

extension Activity {
    /// Checks the fields a client controls.
    func validated() throws -> Activity {
        var validator = FieldValidator()
        var activity = self
        activity.subject = validator.requiredText(subject, field: "subject", maximum: 200)
        activity.body = validator.text(body, field: "body", maximum: 20_000) ?? ""
        activity.durationMinutes = validator.integer(durationMinutes, field: "durationMinutes", range: 0...100_000)
        if kind != .task, dueAt != nil { validator.add(.invalid("dueAt", message: "Only tasks have a due date.")) }
        if kind != .task, done { validator.add(.invalid("done", message: "Only tasks are done or not.")) }
        try validator.check()
        return activity
    }
}
