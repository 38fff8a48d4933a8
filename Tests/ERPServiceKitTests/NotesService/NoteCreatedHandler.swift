import ERPPostgres
import ERPProtocol
import ERPServiceKit

/// Records the effect of a `note created` event; notes titled "poison" always fail, to exercise
/// retries and the dead-letter topic.
struct NoteCreatedHandler: EventHandler {
    struct Poisoned: Error {}

    var eventType: EventType { NoteCreated.type }

    func handle(_ event: EventEnvelope<NoteCreated>, connection: PostgresConnection) async throws {
        if event.data.title == "poison" { throw Poisoned() }
        try await connection.execute(
            "INSERT INTO note_effects (tenant_id, event_id, note_id) VALUES (\(event.tenantID.uuid), \(event.id.uuid), \(event.data.noteID))"
        )
    }
}
