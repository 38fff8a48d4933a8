import ERPPostgres
import ERPProtocol
import Foundation

/// Handles one event type for a consumer. `handle` runs inside the transaction that also records
/// the event in the inbox, scoped to the event's tenant (row-level security applies), so the
/// effect and "this event was handled" commit together or not at all.
public protocol EventHandler: Sendable {
    associatedtype Payload: Codable & Sendable

    var eventType: EventType { get }

    func handle(_ event: EventEnvelope<Payload>, connection: PostgresConnection) async throws

    /// Runs after the transaction of a newly handled event committed (not for duplicates), for
    /// effects outside the database that must not run before the change is visible, such as
    /// invalidating a cache. Failures here cannot undo the commit, so it does not throw.
    func didCommit(_ header: EventEnvelopeHeader) async
}

extension EventHandler {
    public func didCommit(_ header: EventEnvelopeHeader) async {}
}

/// A handler with its payload type erased, so one consumer can route many event types.
struct AnyEventHandler: Sendable {
    let eventType: EventType
    private let invoke: @Sendable (Data, PostgresConnection) async throws -> Void
    private let committed: @Sendable (EventEnvelopeHeader) async -> Void

    init<Handler: EventHandler>(_ handler: Handler) {
        self.eventType = handler.eventType
        self.invoke = { bytes, connection in
            let event: EventEnvelope<Handler.Payload>
            do {
                event = try ERPJSON.decode(EventEnvelope<Handler.Payload>.self, from: bytes)
            } catch {
                // Retrying cannot fix a payload that does not match its schema.
                throw PermanentEventError(reason: "payload does not match \(Handler.Payload.self)")
            }
            try await handler.handle(event, connection: connection)
        }
        self.committed = { header in await handler.didCommit(header) }
    }

    func didCommit(_ header: EventEnvelopeHeader) async {
        await committed(header)
    }

    func handle(_ bytes: Data, connection: PostgresConnection) async throws {
        try await invoke(bytes, connection)
    }
}

/// An error retrying will not fix: the event goes to the dead-letter topic at once.
public struct PermanentEventError: Error, CustomStringConvertible {
    public let reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { "permanent event failure: \(reason)" }
}
