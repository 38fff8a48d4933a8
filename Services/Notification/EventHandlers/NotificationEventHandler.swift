import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation

/// Every consumed event type goes through here (the kit routes one handler per type): keep the
/// directory of people current from auth's events, open or close escalations, and plan the
/// event's deliveries — all in the inbox transaction, so a redelivered event changes nothing.
struct NotificationEventHandler: EventHandler {
    let eventType: EventType
    let dependencies: NotificationDependencies

    func handle(_ event: EventEnvelope<JSONValue>, connection: PostgresConnection) async throws {
        let now = dependencies.clock.now()
        try await DirectoryUpdate(connection: connection).apply(event)
        try await EscalationTracker(connection: connection, now: now).apply(event)
        try await DeliveryPlanner(connection: connection, configuration: dependencies.configuration, now: now).plan(event)
    }

    func didCommit(_ header: EventEnvelopeHeader) async {
        dependencies.wake.wake()
    }
}
