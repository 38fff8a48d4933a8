import ERPKafka
import ERPPostgres
import ERPProtocol
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Consumes events from Kafka exactly-once in effect: each event is handled in one database
/// transaction together with its inbox row, and the Kafka offset is committed only afterwards.
/// A redelivered event finds its inbox row and changes nothing.
///
/// A handler that keeps failing is retried with backoff up to `maxAttempts`; then the event is
/// sent to the dead-letter topic with the error, and the consumer moves on.
public final class EventConsumer: Service {
    public struct Configuration: Sendable {
        /// Names this consumer in the inbox; two consumers of one service handle events independently.
        public var name: String
        public var deadLetterTopic: String
        public var maxAttempts: Int
        public var retryBaseDelay: Duration

        public init(name: String, deadLetterTopic: String, maxAttempts: Int = 5, retryBaseDelay: Duration = .milliseconds(200)) {
            self.name = name
            self.deadLetterTopic = deadLetterTopic
            self.maxAttempts = max(1, maxAttempts)
            self.retryBaseDelay = retryBaseDelay
        }
    }

    private let configuration: Configuration
    private let consumer: KafkaConsumer
    private let producer: KafkaProducer
    private let pool: PostgresPool
    private let handlers: [EventType: AnyEventHandler]
    private let logger: Logger
    private let counters = Mutex(Counts())

    /// How many messages ended each way since start (exposed for health pages and tests).
    public struct Counts: Sendable, Equatable {
        public var handled = 0
        public var duplicate = 0
        public var ignored = 0
        public var deadLettered = 0
    }

    public var counts: Counts { counters.withLock { $0 } }

    public init(
        configuration: Configuration,
        consumer: KafkaConsumer,
        producer: KafkaProducer,
        pool: PostgresPool,
        handlers: [any EventHandler],
        logger: Logger
    ) {
        self.configuration = configuration
        self.consumer = consumer
        self.producer = producer
        self.pool = pool
        var table: [EventType: AnyEventHandler] = [:]
        for handler in handlers {
            let erased = AnyEventHandler(handler)
            table[erased.eventType] = erased
        }
        self.handlers = table
        self.logger = logger
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            for try await message in consumer.messages {
                try await process(message)
                do {
                    try await consumer.acknowledge(message)
                } catch {
                    // Typically a rebalance took the partition away: the new owner gets the message
                    // again and the inbox makes the second delivery a no-op.
                    logger.warning(
                        "offset commit failed; the event may be redelivered",
                        metadata: [LogMetadataKey.topic: .string(message.topic), LogMetadataKey.error: .string(String(describing: error))]
                    )
                }
            }
        } onGracefulShutdown: { [consumer] in
            // Ends the message sequence; a commit cut off by it is redelivered and deduplicated by the inbox.
            Task { await consumer.shutdown() }
        }
    }

    /// What happened to one message.
    public enum Outcome: Sendable, Equatable {
        case handled
        case duplicate
        case ignored
        case deadLettered
    }

    /// Handles one message (retries, inbox, dead letter). Returns only when the message may be committed.
    @discardableResult
    public func process(_ message: KafkaMessage) async throws -> Outcome {
        let outcome = try await processOnce(message)
        counters.withLock { counts in
            switch outcome {
            case .handled: counts.handled += 1
            case .duplicate: counts.duplicate += 1
            case .ignored: counts.ignored += 1
            case .deadLettered: counts.deadLettered += 1
            }
        }
        return outcome
    }

    private func processOnce(_ message: KafkaMessage) async throws -> Outcome {
        let bytes = Data(message.value)
        var metadata: Logger.Metadata = [
            LogMetadataKey.topic: .string(message.topic),
            LogMetadataKey.partition: .stringConvertible(message.partition),
            LogMetadataKey.offset: .stringConvertible(message.offset),
        ]
        guard let header = try? ERPJSON.decode(EventEnvelopeHeader.self, from: bytes) else {
            try await deadLetter(message, error: "not a valid event envelope", attempts: 1)
            logger.error("undecodable event sent to dead letter", metadata: metadata)
            return .deadLettered
        }
        metadata[LogMetadataKey.eventID] = .string(header.id.description)
        metadata[LogMetadataKey.eventType] = .string(header.type.rawValue)
        metadata[LogMetadataKey.tenantID] = .string(header.tenantID.description)
        if let trace = header.traceparent.flatMap(TraceContext.init(traceparent:)) {
            metadata[LogMetadataKey.traceID] = .string(trace.traceID)
        }
        guard let handler = handlers[header.type] else {
            return .ignored
        }

        var attempt = 0
        var outageRetries = 0
        while true {
            attempt += 1
            do {
                let handled = try await pool.withTenantTransaction(tenant: header.tenantID.uuid) { connection in
                    let inserted = try await connection.execute(
                        """
                        INSERT INTO inbox (consumer, event_id, event_type, tenant_id)
                        VALUES (\(configuration.name), \(header.id.uuid), \(header.type.rawValue), \(header.tenantID.uuid))
                        ON CONFLICT DO NOTHING
                        """
                    )
                    guard inserted == 1 else { return false }
                    try await handler.handle(bytes, connection: connection)
                    return true
                }
                if handled { await handler.didCommit(header) }
                return handled ? .handled : .duplicate
            } catch {
                let permanent = error is PermanentEventError
                var failure = metadata
                failure[LogMetadataKey.attempt] = .stringConvertible(attempt)
                failure[LogMetadataKey.error] = .string(String(describing: type(of: error)))
                if Self.isInfrastructureOutage(error) {
                    // Our database being down says nothing about the event: wait for it rather than
                    // dead-letter a healthy event, and don't let the outage use up its attempts.
                    attempt -= 1
                    outageRetries += 1
                    logger.warning("database unavailable while handling event, waiting", metadata: failure)
                    try await Task.sleep(for: Self.outageRetry.delay(afterAttempt: outageRetries))
                    continue
                }
                if permanent || attempt >= configuration.maxAttempts {
                    try await deadLetter(message, error: String(describing: error), attempts: attempt)
                    logger.error("event handler failed, event sent to dead letter", metadata: failure)
                    return .deadLettered
                }
                logger.warning("event handler failed, retrying", metadata: failure)
                try await Task.sleep(for: handlerRetry.delay(afterAttempt: attempt))
            }
        }
    }

    /// Backoff between attempts of a failing handler.
    private var handlerRetry: RetryPolicy {
        RetryPolicy(maxAttempts: configuration.maxAttempts, baseDelay: configuration.retryBaseDelay, maxDelay: .seconds(10))
    }

    /// Backoff while the database is unreachable; unbounded in count, capped in delay.
    private static let outageRetry = RetryPolicy(maxAttempts: .max, baseDelay: .milliseconds(100), maxDelay: .seconds(10))

    static func isInfrastructureOutage(_ error: any Error) -> Bool {
        guard let postgres = error as? PostgresError else { return false }
        return [.connectionFailed, .poolTimeout].contains(postgres.code)
    }

    /// Publishes the original message with the failure described in headers; waits for the ack so
    /// the offset is committed only once the event is safe in the dead-letter topic.
    private func deadLetter(_ message: KafkaMessage, error: String, attempts: Int) async throws {
        var headers = message.headers
        headers.append(KafkaHeader(key: "erp-dlq-error", value: Array(String(error.prefix(1000)).utf8)))
        headers.append(KafkaHeader(key: "erp-dlq-consumer", value: Array(configuration.name.utf8)))
        headers.append(KafkaHeader(key: "erp-dlq-original-topic", value: Array(message.topic.utf8)))
        headers.append(KafkaHeader(key: "erp-dlq-original-partition", value: Array(String(message.partition).utf8)))
        headers.append(KafkaHeader(key: "erp-dlq-original-offset", value: Array(String(message.offset).utf8)))
        headers.append(KafkaHeader(key: "erp-dlq-attempts", value: Array(String(attempts).utf8)))
        _ = try await producer.send(
            KafkaOutgoingMessage(topic: configuration.deadLetterTopic, key: message.key, value: message.value, headers: headers)
        )
    }
}
