import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation

/// Meters one event type: turns each event into usage records (at most once per event id and
/// metric) and drops the organization's cached entitlements after the commit.
struct UsageEventHandler<Payload: Codable & Sendable>: EventHandler {
    let eventType: EventType
    let cache: EntitlementCache
    let records: @Sendable (EventEnvelope<Payload>) -> [UsageRecord]

    func handle(_ event: EventEnvelope<Payload>, connection: PostgresConnection) async throws {
        try await UsageRepository(connection).record(records(event), tenant: event.tenantID)
    }

    func didCommit(_ header: EventEnvelopeHeader) async {
        await cache.invalidate(header.tenantID)
    }
}

extension UsageEventHandler where Payload == UserLifecycleEvent {
    /// Active users: +1 when a user is created or reactivated, −1 when deactivated.
    static func users(_ type: EventType, delta: Int64, cache: EntitlementCache) -> Self {
        Self(eventType: type, cache: cache) { event in
            [UsageRecord(eventID: event.id, metric: .users, value: delta, uniqueKey: event.data.userId.description, occurredAt: event.time)]
        }
    }
}

extension UsageEventHandler where Payload == FileStorageChanged {
    /// Stored bytes (the organization's total as reported) and the period's peak.
    static func storage(_ type: EventType, cache: EntitlementCache) -> Self {
        Self(eventType: type, cache: cache) { event in
            let total = max(0, event.data.organizationStorageBytes)
            return [
                UsageRecord(eventID: event.id, metric: BillableMetric.storageBytes.metric, value: total, uniqueKey: nil, occurredAt: event.time),
                UsageRecord(eventID: event.id, metric: BillableMetric.storagePeakBytes.metric, value: total, uniqueKey: nil, occurredAt: event.time),
            ]
        }
    }
}

extension UsageEventHandler where Payload == AIQueryCompleted {
    /// AI queries, tokens and the users who asked.
    static func aiQueries(cache: EntitlementCache) -> Self {
        Self(eventType: EventType.AI.queryCompleted, cache: cache) { event in
            var records = [
                UsageRecord(eventID: event.id, metric: .aiQueries, value: 1, uniqueKey: nil, occurredAt: event.time),
                UsageRecord(eventID: event.id, metric: .aiTokens, value: max(0, event.data.promptTokens) + max(0, event.data.completionTokens),
                            uniqueKey: nil, occurredAt: event.time),
            ]
            if let user = event.data.userId {
                records.append(UsageRecord(eventID: event.id, metric: BillableMetric.aiUsers.metric, value: 1, uniqueKey: user.description,
                                           occurredAt: event.time))
            }
            return records
        }
    }
}
