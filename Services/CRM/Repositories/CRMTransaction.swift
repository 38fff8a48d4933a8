import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation

/// One database transaction in one tenant, with who acts and when: the unit every write of the
/// service runs in. Events go to the outbox through `publish`, in the same transaction as the
/// change they describe, together with the timeline entries of the records they concern.
struct CRMTransaction: Sendable {
    let connection: PostgresConnection
    let tenant: TenantID
    /// The caller's `sub` (a user id, or a service client such as `svc_crm`).
    let actor: String
    let now: Date
    let trace: TraceContext?
    let scorer: any LeadScorer
    /// What the caller may do (none for work that is not a request): the owner rule needs it
    /// deep inside a write, where the record's current owner is known.
    let permissions: PermissionSet

    init(
        connection: PostgresConnection, tenant: TenantID, actor: String, now: Date, trace: TraceContext?, scorer: any LeadScorer,
        permissions: PermissionSet = []
    ) {
        self.connection = connection
        self.tenant = tenant
        self.actor = actor
        self.now = now
        self.trace = trace
        self.scorer = scorer
        self.permissions = permissions
    }

    /// The acting user, when a user acts.
    var actorUser: UserID? { UserID(string: actor) }

    /// A note for the timeline of one record, written with the event that caused it.
    struct TimelineNote: Sendable {
        let recordType: RecordType
        let recordID: UUID
        let summary: String
    }

    /// Records `payload` as a `type` event about `subject` in the outbox and on the timelines of
    /// `timeline`'s records.
    func publish<Payload: Codable & Sendable>(
        _ type: EventType, subject: UUID, _ payload: Payload, timeline: [TimelineNote] = []
    ) async throws {
        let event = EventEnvelope(
            type: type, tenantID: tenant, subject: subject.lowercased, data: payload, traceparent: trace?.child().traceparent, time: now
        )
        try await Outbox.enqueue(event, on: connection)
        guard !timeline.isEmpty else { return }
        let data = try JSONValue(encoding: payload)
        let repository = TimelineRepository(connection)
        for note in timeline {
            try await repository.insert(
                TimelineEntry(
                    id: UUID(), recordType: note.recordType, recordID: note.recordID, occurredAt: now, source: "crm", eventType: type.rawValue,
                    eventID: event.id.uuid, actor: actor, summary: note.summary, data: data
                ),
                tenant: tenant
            )
        }
    }
}
