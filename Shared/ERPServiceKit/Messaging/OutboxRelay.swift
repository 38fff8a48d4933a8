import ERPKafka
import ERPPostgres
import ERPProtocol
import Foundation
import Logging
import ServiceLifecycle

/// Publishes pending outbox rows to Kafka and stamps each one published when the broker has
/// acknowledged it. A row whose publication failed is retried with exponential backoff; nothing
/// is ever dropped.
///
/// Order: events of one aggregate share a message key and must arrive in the order they were
/// written. The relay sends the rows of one key one after another, never sends a row while an
/// older row of its key is waiting for a retry, and only one replica relays at a time (a
/// transaction-scoped advisory lock), so a second replica cannot overtake the first.
public final class OutboxRelay: Service {
    public struct Configuration: Sendable {
        public var batchSize: Int
        /// How long to wait before looking again when nothing was pending.
        public var idlePollInterval: Duration
        public var maxBackoff: Duration
        /// Published rows are kept this long (for audits and replays), then deleted.
        public var retention: Duration
        public var cleanupInterval: Duration

        public init(
            batchSize: Int = 200,
            idlePollInterval: Duration = .milliseconds(50),
            maxBackoff: Duration = .seconds(60),
            retention: Duration = .seconds(7 * 24 * 3600),
            cleanupInterval: Duration = .seconds(600)
        ) {
            self.batchSize = batchSize
            self.idlePollInterval = idlePollInterval
            self.maxBackoff = maxBackoff
            self.retention = retention
            self.cleanupInterval = cleanupInterval
        }
    }

    private let pool: PostgresPool
    private let producer: KafkaProducer
    private let configuration: Configuration
    private let logger: Logger

    public init(pool: PostgresPool, producer: KafkaProducer, configuration: Configuration = .init(), logger: Logger) {
        self.pool = pool
        self.producer = producer
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        var lastCleanup = ContinuousClock.now
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            var published = 0
            do {
                published = try await relayBatch()
                if ContinuousClock.now - lastCleanup > configuration.cleanupInterval {
                    try await deletePublished()
                    lastCleanup = .now
                }
            } catch {
                logger.warning("outbox relay pass failed", metadata: [LogMetadataKey.error: .string(String(describing: type(of: error)))])
            }
            if published == 0 {
                try? await Task.sleep(for: configuration.idlePollInterval)
            }
        }
    }

    /// One pass: publishes what is due and returns how many rows were published.
    @discardableResult
    public func relayBatch() async throws -> Int {
        try await pool.withTransaction { connection in
            let locked = try await connection.query("SELECT pg_try_advisory_xact_lock(hashtext('erp.outbox.relay'))")
            guard try locked.first?.decode(Bool.self, at: 0) == true else { return 0 }

            let rows = try await connection.query(
                """
                SELECT o.id, o.topic, o.message_key, o.payload, o.traceparent, o.attempts
                FROM outbox o
                WHERE o.published_at IS NULL AND o.next_attempt_at <= now()
                  AND NOT EXISTS (
                      SELECT 1 FROM outbox older
                      WHERE older.message_key = o.message_key AND older.published_at IS NULL
                        AND older.id < o.id AND older.next_attempt_at > now())
                ORDER BY o.id
                LIMIT \(configuration.batchSize)
                """
            )
            let pending = try rows.map { row in
                PendingRow(
                    id: try row.decode(Int64.self, at: 0),
                    topic: try row.decode(String.self, at: 1),
                    key: try row.decode(String.self, at: 2),
                    payload: try row.decode([UInt8].self, at: 3),
                    traceparent: try row.decode(String?.self, at: 4),
                    attempts: try row.decode(Int.self, at: 5)
                )
            }
            guard !pending.isEmpty else { return 0 }

            let outcomes = await publish(pending)
            let publishedIDs = outcomes.compactMap { $0.error == nil ? $0.row.id : nil }
            if !publishedIDs.isEmpty {
                try await connection.execute(
                    "UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY(\(publishedIDs))"
                )
            }
            for outcome in outcomes {
                guard let error = outcome.error else { continue }
                let delay = backoff(afterAttempts: outcome.row.attempts + 1)
                try await connection.execute(
                    """
                    UPDATE outbox SET attempts = attempts + 1, last_error = \(error),
                           next_attempt_at = now() + make_interval(secs => \(delay))
                    WHERE id = \(outcome.row.id)
                    """
                )
            }
            if publishedIDs.count < pending.count {
                logger.warning(
                    "outbox rows not published, will retry",
                    metadata: ["erp.outbox.failed": .stringConvertible(pending.count - publishedIDs.count)]
                )
            }
            return publishedIDs.count
        }
    }

    private struct PendingRow: Sendable {
        let id: Int64
        let topic: String
        let key: String
        let payload: [UInt8]
        let traceparent: String?
        let attempts: Int
    }

    private struct Outcome: Sendable {
        let row: PendingRow
        /// nil when published; otherwise what went wrong (no payload content).
        let error: String?
    }

    /// Sends each key's rows in order, keys concurrently. After a failure the key's later rows are
    /// left untouched (not attempted), so they cannot overtake the failed one.
    private func publish(_ rows: [PendingRow]) async -> [Outcome] {
        var byKey: [String: [PendingRow]] = [:]
        var keyOrder: [String] = []
        for row in rows {
            if byKey[row.key] == nil { keyOrder.append(row.key) }
            byKey[row.key, default: []].append(row)
        }
        return await withTaskGroup(of: [Outcome].self) { group in
            for key in keyOrder {
                let keyRows = byKey[key] ?? []
                group.addTask { [producer] in
                    var outcomes: [Outcome] = []
                    for row in keyRows {
                        var headers = [KafkaHeader(key: "content-type", value: Array("application/cloudevents+json".utf8))]
                        if let traceparent = row.traceparent {
                            headers.append(KafkaHeader(key: "traceparent", value: Array(traceparent.utf8)))
                        }
                        do {
                            _ = try await producer.send(
                                KafkaOutgoingMessage(topic: row.topic, key: Array(row.key.utf8), value: row.payload, headers: headers)
                            )
                            outcomes.append(Outcome(row: row, error: nil))
                        } catch {
                            outcomes.append(Outcome(row: row, error: String(describing: error).prefix(500).description))
                            break
                        }
                    }
                    return outcomes
                }
            }
            var all: [Outcome] = []
            for await outcomes in group { all.append(contentsOf: outcomes) }
            return all
        }
    }

    /// Seconds to wait before the next attempt: 1, 2, 4 … capped, with ±20 % jitter.
    private func backoff(afterAttempts attempts: Int) -> Double {
        RetryPolicy(maxAttempts: .max, baseDelay: .seconds(1), maxDelay: configuration.maxBackoff, jitter: .proportional(0.2))
            .delay(afterAttempt: attempts).timeInterval
    }

    private func deletePublished() async throws {
        let seconds = Double(configuration.retention.components.seconds)
        try await pool.execute(
            "DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < now() - make_interval(secs => \(seconds))"
        )
    }
}
