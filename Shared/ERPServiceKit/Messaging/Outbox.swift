import ERPPostgres
import ERPProtocol
import Foundation

/// Records an event in the outbox inside the caller's transaction: the event is published if and
/// only if the state change it describes commits.
public enum Outbox {
    /// Adds `event` to the outbox on `connection`, which must be inside the transaction that makes
    /// the change. `topic` defaults to the producing service's topic (`erp.<service>.events`).
    public static func enqueue<Payload>(
        _ event: EventEnvelope<Payload>,
        topic: String? = nil,
        on connection: PostgresConnection
    ) async throws {
        let payload = try ERPJSON.encode(event)
        try await connection.execute(
            """
            INSERT INTO outbox (event_id, tenant_id, event_type, topic, message_key, payload, traceparent)
            VALUES (\(event.id.uuid), \(event.tenantID.uuid), \(event.type.rawValue), \(topic ?? event.topic),
                    \(event.key.rawValue), \([UInt8](payload)), \(event.traceparent))
            """
        )
    }
}
