import ERPPostgres
import ERPProtocol
import Foundation

/// Deliveries and their attempts in the transaction's tenant.
struct DeliveryRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    private static let columns: StaticString = """
        id, tenant_id, event_id, event_type, event_time, channel, target, user_id, webhook_endpoint_id, subject, text_body, html_body, payload,
        status, attempts, max_attempts, next_attempt_at, last_error, provider_reference, created_at, sent_at, digest
        """

    /// Inserts `delivery` unless the same event already produced it for this channel and
    /// target; returns whether it was inserted.
    func insert(_ delivery: Delivery) async throws -> Bool {
        try await connection.execute(
            """
            INSERT INTO deliveries (tenant_id, id, event_id, event_type, event_time, channel, target, user_id, webhook_endpoint_id,
                subject, text_body, html_body, payload, status, attempts, max_attempts, next_attempt_at, created_at, digest)
            VALUES (\(delivery.tenantID.uuid), \(delivery.id), \(delivery.eventID), \(delivery.eventType), \(delivery.eventTime),
                \(delivery.channel.rawValue), \(delivery.target), \(delivery.userID), \(delivery.webhookEndpointID), \(delivery.message.subject),
                \(delivery.message.text), \(delivery.message.html), \(delivery.payload.map(PostgresJSON.init)), \(delivery.status.rawValue),
                \(delivery.attempts), \(delivery.maxAttempts), \(delivery.nextAttemptAt), \(delivery.createdAt), \(delivery.digest))
            ON CONFLICT (tenant_id, event_id, channel, target) DO NOTHING
            """
        ) == 1
    }

    func find(_ id: UUID, lock: Bool = false) async throws -> Delivery? {
        let rows = lock
            ? try await connection.query("SELECT \(unescaped: Self.columns) FROM deliveries WHERE id = \(id) FOR UPDATE")
            : try await connection.query("SELECT \(unescaped: Self.columns) FROM deliveries WHERE id = \(id)")
        return try rows.map(Self.delivery).first
    }

    /// Newest first; optional filters on status, channel and event type.
    func list(limit: Int, after: (Date, UUID)?, status: DeliveryStatus?, channel: Channel?, eventType: String?) async throws -> [Delivery] {
        try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM deliveries
            WHERE (\(after == nil) OR (created_at, id) < (\(after?.0), \(after?.1)))
              AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
              AND (\(channel?.rawValue)::text IS NULL OR channel = \(channel?.rawValue))
              AND (\(eventType)::text IS NULL OR event_type = \(eventType))
            ORDER BY created_at DESC, id DESC LIMIT \(limit)
            """
        ).map(Self.delivery)
    }

    func forEvent(_ eventID: UUID) async throws -> [Delivery] {
        try await connection.query("SELECT \(unescaped: Self.columns) FROM deliveries WHERE event_id = \(eventID) ORDER BY channel, target")
            .map(Self.delivery)
    }

    /// Whether a digest email to `target` going out at `time` is already scheduled: later ones
    /// join it instead of being scheduled themselves, so one worker sends the whole digest.
    func digestScheduled(target: String, at time: Date) async throws -> Bool {
        try await connection.query(
            """
            SELECT 1 FROM deliveries
            WHERE digest AND channel = 'email' AND target = \(target) AND status IN ('queued', 'retrying') AND next_attempt_at = \(time)
            LIMIT 1
            """
        ).count > 0
    }

    /// The other digest emails to `target` due by `now`, oldest first, locked (rows another
    /// worker holds are skipped: it sends them).
    func dueDigestCompanions(of id: UUID, target: String, now: Date) async throws -> [Delivery] {
        try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM deliveries
            WHERE digest AND channel = 'email' AND target = \(target) AND id <> \(id)
                AND status IN ('queued', 'retrying') AND next_attempt_at <= \(now)
            ORDER BY created_at, id
            FOR UPDATE SKIP LOCKED
            """
        ).map(Self.delivery)
    }

    func markSending(_ id: UUID) async throws {
        try await connection.execute(
            "UPDATE deliveries SET status = 'sending', attempts = attempts + 1, updated_at = now() WHERE id = \(id)"
        )
    }

    func finish(_ id: UUID, status: DeliveryStatus, at time: Date, nextAttemptAt: Date?, error: String?, providerReference: String?) async throws {
        try await connection.execute(
            """
            UPDATE deliveries SET status = \(status.rawValue), next_attempt_at = \(nextAttemptAt), last_error = \(error),
                provider_reference = coalesce(\(providerReference), provider_reference),
                sent_at = CASE WHEN \(status == .sent) THEN \(time) ELSE sent_at END, updated_at = now()
            WHERE id = \(id)
            """
        )
    }

    func recordAttempt(_ attempt: DeliveryAttempt, delivery: UUID, tenant: TenantID) async throws {
        try await connection.execute(
            """
            INSERT INTO delivery_attempts (tenant_id, delivery_id, attempt, started_at, duration_ms, succeeded, status_code, error)
            VALUES (\(tenant.uuid), \(delivery), \(attempt.attempt), \(attempt.startedAt), \(attempt.durationMs), \(attempt.succeeded),
                    \(attempt.statusCode), \(attempt.error))
            ON CONFLICT (tenant_id, delivery_id, attempt) DO NOTHING
            """
        )
    }

    func attempts(_ delivery: UUID) async throws -> [DeliveryAttempt] {
        try await connection.query(
            """
            SELECT attempt, started_at, duration_ms, succeeded, status_code, error FROM delivery_attempts
            WHERE delivery_id = \(delivery) ORDER BY attempt
            """
        ).map {
            DeliveryAttempt(attempt: try $0.decode(Int.self, at: 0), startedAt: try $0.decode(Date.self, at: 1), durationMs: try $0.decode(Int.self, at: 2),
                            succeeded: try $0.decode(Bool.self, at: 3), statusCode: try $0.decode(Int?.self, at: 4), error: try $0.decode(String?.self, at: 5))
        }
    }

    private static func delivery(_ row: PostgresRow) throws -> Delivery {
        Delivery(
            id: try row.decode(UUID.self, at: 0), tenantID: TenantID(try row.decode(UUID.self, at: 1)), eventID: try row.decode(UUID.self, at: 2),
            eventType: try row.decode(String.self, at: 3), eventTime: try row.decode(Date.self, at: 4),
            channel: Channel(rawValue: try row.decode(String.self, at: 5)) ?? .email, target: try row.decode(String.self, at: 6),
            userID: try row.decode(UUID?.self, at: 7), webhookEndpointID: try row.decode(UUID?.self, at: 8),
            message: RenderedMessage(subject: try row.decode(String.self, at: 9), text: try row.decode(String.self, at: 10),
                                     html: try row.decode(String?.self, at: 11)),
            payload: try row.decode(PostgresJSON<JSONValue>?.self, at: 12)?.value,
            status: DeliveryStatus(rawValue: try row.decode(String.self, at: 13)) ?? .queued, attempts: try row.decode(Int.self, at: 14),
            maxAttempts: try row.decode(Int.self, at: 15), nextAttemptAt: try row.decode(Date?.self, at: 16),
            lastError: try row.decode(String?.self, at: 17), providerReference: try row.decode(String?.self, at: 18),
            createdAt: try row.decode(Date.self, at: 19), sentAt: try row.decode(Date?.self, at: 20), digest: try row.decode(Bool.self, at: 21)
        )
    }
}
