import ERPPostgres
import ERPProtocol
import Foundation

/// Activity writes: log, edit, complete (tasks), delete.
struct ActivityWorkflow {
    let tx: CRMTransaction

    init(_ tx: CRMTransaction) { self.tx = tx }

    private var activities: ActivityRepository { ActivityRepository(tx.connection) }

    func log(_ input: ActivityInput) async throws -> Activity {
        guard try await RecordExistence(tx.connection).isLive(input.recordType, input.recordId) else {
            throw ProblemDetails.validation([.invalid("recordId", message: "No such \(input.recordType.rawValue).")])
        }
        let activity = try Activity(
            id: UUID(), kind: input.kind, subject: input.subject ?? "", body: input.body ?? "", recordType: input.recordType, recordID: input.recordId,
            occurredAt: input.occurredAt ?? tx.now, dueAt: input.dueAt, done: false, doneAt: nil, doneBy: nil, durationMinutes: input.durationMinutes,
            ownerID: input.ownerId ?? tx.actorUser, version: 1, createdBy: tx.actor, createdAt: tx.now, updatedAt: tx.now, deletedAt: nil
        ).validated()
        try await activities.insert(activity, tenant: tx.tenant)
        try await tx.publish(EventType.CRM.activityLogged, subject: activity.id, activity.event)
        return activity
    }

    func update(_ id: UUID, patch: ActivityPatch, expectedVersion: Int64) async throws -> Activity {
        let current = try await live(id)
        guard current.version == expectedVersion else { throw CRMError.versionMismatch }
        var activity = current
        if case .value(let subject) = patch.subject { activity.subject = subject } else if case .null = patch.subject { activity.subject = "" }
        activity.body = patch.body.applied(to: current.body) ?? ""
        activity.occurredAt = patch.occurredAt.applied(to: current.occurredAt) ?? current.occurredAt
        activity.dueAt = patch.dueAt.applied(to: current.dueAt)
        activity.durationMinutes = patch.durationMinutes.applied(to: current.durationMinutes)
        activity.ownerID = patch.ownerId.applied(to: current.ownerID)
        if case .value(let done) = patch.done { setDone(&activity, done) }
        activity = try activity.validated()
        activity.version += 1
        activity.updatedAt = tx.now
        try await save(activity, expectedVersion: expectedVersion)
        let completed = activity.done && !current.done
        try await tx.publish(completed ? EventType.CRM.activityCompleted : EventType.CRM.activityUpdated, subject: id, activity.event)
        return activity
    }

    /// Marks a task done (a task already done stays as it is).
    func complete(_ id: UUID) async throws -> Activity {
        var activity = try await live(id)
        guard activity.kind == .task else { throw CRMError.activityNotTask }
        guard !activity.done else { return activity }
        let previous = activity.version
        setDone(&activity, true)
        activity.version += 1
        activity.updatedAt = tx.now
        try await save(activity, expectedVersion: previous)
        try await tx.publish(EventType.CRM.activityCompleted, subject: id, activity.event)
        return activity
    }

    func delete(_ id: UUID, expectedVersion: Int64?) async throws {
        var activity = try await live(id)
        if let expectedVersion, expectedVersion != activity.version { throw CRMError.versionMismatch }
        let previous = activity.version
        activity.deletedAt = tx.now
        activity.version += 1
        activity.updatedAt = tx.now
        try await save(activity, expectedVersion: previous)
        try await tx.publish(EventType.CRM.activityDeleted, subject: id, activity.event)
    }

    private func setDone(_ activity: inout Activity, _ done: Bool) {
        guard activity.done != done else { return }
        activity.done = done
        activity.doneAt = done ? tx.now : nil
        activity.doneBy = done ? tx.actor : nil
    }

    private func live(_ id: UUID) async throws -> Activity {
        guard let activity = try await activities.find(id, forUpdate: true), activity.deletedAt == nil else { throw ProblemDetails.notFound() }
        return activity
    }

    private func save(_ activity: Activity, expectedVersion: Int64) async throws {
        guard try await activities.update(activity, expectedVersion: expectedVersion) else { throw CRMError.versionMismatch }
    }
}
