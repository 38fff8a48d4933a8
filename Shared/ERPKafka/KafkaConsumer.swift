import CRdKafka
import ERPConcurrency
import Logging

/// A consumer-group member that reads its subscribed topics as an `AsyncSequence` and commits
/// offsets only when told to.
///
/// `messages` is pull-based: each `next()` polls librdkafka on the consumer's own thread until a
/// message arrives, so nothing piles up in Swift and a slow handler slows consumption. Call
/// `next()` at least every `max.poll.interval.ms` (5 min), or the group evicts this member.
public final class KafkaConsumer: Sendable {
    private let configuration: KafkaConsumerConfiguration
    private let logger: Logger
    private let handle: KafkaClientHandle
    /// Raised by shutdown(): polls end and the sequence finishes.
    private let pollStop = StopSignal()
    /// Raised just before the consumer leaves the group: commits are refused from then on.
    private let closing = StopSignal()
    /// Polls and the final close share one thread, so the close never races a poll.
    private let pollThread: BlockingExecutor
    /// Synchronous commits, which may run while a poll is waiting for the next message.
    private let commitThread: BlockingExecutor

    /// Creates the client and subscribes to `configuration.topics` (the group join itself happens
    /// in the background while polling).
    public init(configuration: KafkaConsumerConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        handle = try KafkaClientHandle(kind: .consumer, properties: configuration.properties, context: KafkaClientContext(logger: logger))
        let subscribed = handle.withHandle { client -> rd_kafka_resp_err_t in
            // Errors, logs and rebalances then arrive through consumer_poll, the only poll a consumer runs.
            rd_kafka_poll_set_consumer(client)
            let topics = rd_kafka_topic_partition_list_new(Int32(configuration.topics.count))
            defer { rd_kafka_topic_partition_list_destroy(topics) }
            for topic in configuration.topics {
                rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA)
            }
            return rd_kafka_subscribe(client, topics)
        }
        if let subscribed, subscribed != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: .consumer, rdKafkaError: subscribed)
        }
        pollThread = BlockingExecutor(threadCount: 1, name: "kafka-consumer-poll")
        commitThread = BlockingExecutor(threadCount: 1, name: "kafka-consumer-commit")
        logger.debug(
            "Kafka consumer subscribed",
            metadata: [KafkaLogKey.groupID: .string(configuration.groupID), KafkaLogKey.topic: .string(configuration.topics.joined(separator: ","))]
        )
    }

    deinit {
        // Only reached without shutdown(): rd_kafka_destroy then leaves the group itself.
        pollStop.stop()
        closing.stop()
        if !pollThread.submit({ [handle] in handle.destroy() }) {
            handle.destroy()
        }
        pollThread.shutdown()
        commitThread.shutdown()
    }

    /// The subscribed topics' messages. Ends after `shutdown()` (or when the iterating task is
    /// cancelled); throws a `KafkaError` on fatal errors. Iterate it from one task at a time.
    public var messages: KafkaMessageSequence {
        KafkaMessageSequence(consumer: self)
    }

    /// Commits `message.offset + 1` for its partition and waits for the coordinator's answer, so
    /// the group resumes after this message. Throws `.commitFailed` (for example when the
    /// partition was reassigned meanwhile) or `.shutDown`.
    public func commit(_ message: KafkaMessage) async throws {
        guard !closing.isStopped else { throw KafkaError.shutDown("consumer is shut down") }
        let result: Int32?
        do {
            result = try await commitThread.run { [handle] in
                handle.withHandle { client in Self.commitSynchronously(message, on: client) }
            }
        } catch {
            throw KafkaError.shutDown("consumer is shut down")
        }
        guard let result else { throw KafkaError.shutDown("consumer is shut down") }
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR.rawValue else {
            throw KafkaError(code: .commitFailed, rdKafkaError: rd_kafka_resp_err_t(rawValue: result))
        }
    }

    /// Marks `message` as handled according to the configured `CommitMode`: a synchronous
    /// commit, or a local offset store that librdkafka commits in the background.
    public func acknowledge(_ message: KafkaMessage) async throws {
        switch configuration.commitMode {
        case .synchronous:
            try await commit(message)
        case .periodic:
            try storeOffset(message)
        }
    }

    /// Stores offset+1 of `message`'s partition for the next background commit. Non-blocking.
    public func storeOffset(_ message: KafkaMessage) throws {
        guard !closing.isStopped else { throw KafkaError.shutDown("consumer is shut down") }
        let result: Int32? = handle.withHandle { client in
            guard let offsets = rd_kafka_topic_partition_list_new(1) else { return RD_KAFKA_RESP_ERR__FAIL.rawValue }
            defer { rd_kafka_topic_partition_list_destroy(offsets) }
            let entry = rd_kafka_topic_partition_list_add(offsets, message.topic, message.partition)
            entry?.pointee.offset = message.offset + 1
            let stored = rd_kafka_offsets_store(client, offsets)
            guard stored == RD_KAFKA_RESP_ERR_NO_ERROR else { return stored.rawValue }
            return offsets.pointee.elems[0].err.rawValue
        }
        guard let result else { throw KafkaError.shutDown("consumer is shut down") }
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR.rawValue else {
            throw KafkaError(code: .commitFailed, rdKafkaError: rd_kafka_resp_err_t(rawValue: result))
        }
    }

    /// Ends the message sequence, lets queued commits finish, leaves the group cleanly
    /// (`rd_kafka_consumer_close`, so the partitions move on without waiting for the session
    /// timeout) and destroys the client.
    public func shutdown() async {
        guard pollStop.stop() else { return }
        _ = try? await commitThread.run {}  // commits already queued still land
        closing.stop()
        // Queued behind a running poll, which sees the stop signal within one poll interval.
        _ = try? await pollThread.run { [handle, logger] in
            let closed = handle.withHandle { rd_kafka_consumer_close($0) }
            if let closed, closed != RD_KAFKA_RESP_ERR_NO_ERROR {
                logger.warning(
                    "Kafka consumer did not close cleanly",
                    metadata: [KafkaLogKey.errorCode: .stringConvertible(closed.rawValue), KafkaLogKey.error: .string(String(cString: rd_kafka_err2str(closed)))]
                )
            }
            handle.destroy()
        }
        pollThread.shutdown()
        commitThread.shutdown()
        logger.debug("Kafka consumer shut down", metadata: [KafkaLogKey.groupID: .string(configuration.groupID)])
    }

    /// The next message, or nil when the consumer shut down or the calling task was cancelled.
    func nextMessage() async throws -> KafkaMessage? {
        guard !pollStop.isStopped else { return nil }
        let cancelled = StopSignal()
        do {
            return try await withTaskCancellationHandler {
                try await pollThread.run { [handle, pollStop, logger] in
                    try Self.poll(handle, until: pollStop, or: cancelled, logger: logger)
                }
            } onCancel: {
                cancelled.stop()
            }
        } catch is BlockingExecutorError {
            return nil
        }
    }

    /// Polls in short slices (so stop and cancellation are noticed) until a message arrives.
    private static func poll(_ handle: KafkaClientHandle, until stop: StopSignal, or cancelled: StopSignal, logger: Logger) throws -> KafkaMessage? {
        while !stop.isStopped && !cancelled.isStopped {
            if let fatal = handle.context.fatalError { throw fatal }
            let polled = handle.withHandle { client -> Result<KafkaMessage, KafkaError>? in
                guard let message = rd_kafka_consumer_poll(client, 100) else { return nil }
                defer { rd_kafka_message_destroy(message) }
                guard message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    return handleError(of: message, logger: logger).map { .failure($0) }
                }
                return .success(KafkaMessage(copying: message))
            }
            guard let polled else { return nil }  // destroyed: the consumer is gone
            switch polled {
            case .success(let message)?: return message
            case .failure(let error)?: throw error
            case nil: continue
            }
        }
        return nil
    }

    /// Logs a consumer error event; returns the error only when it is fatal.
    private static func handleError(of message: UnsafeMutablePointer<rd_kafka_message_t>, logger: Logger) -> KafkaError? {
        let code = message.pointee.err
        var metadata: Logger.Metadata = [
            KafkaLogKey.errorCode: .stringConvertible(code.rawValue),
            KafkaLogKey.error: .string(String(cString: rd_kafka_message_errstr(message))),
        ]
        if let topic = message.pointee.rkt {
            metadata[KafkaLogKey.topic] = .string(String(cString: rd_kafka_topic_name(topic)))
            metadata[KafkaLogKey.partition] = .stringConvertible(message.pointee.partition)
        }
        switch code {
        case RD_KAFKA_RESP_ERR__PARTITION_EOF:
            logger.debug("Kafka consumer reached the end of a partition", metadata: metadata)
            return nil
        case RD_KAFKA_RESP_ERR__FATAL:
            logger.critical("Kafka consumer hit a fatal error", metadata: metadata)
            return KafkaError(code: .fatal, message: String(cString: rd_kafka_message_errstr(message)), rdKafkaCode: code.rawValue)
        default:
            // Unknown topics (not created yet), broker outages: librdkafka recovers by itself.
            logger.warning("Kafka consumer error", metadata: metadata)
            return nil
        }
    }

    private static func commitSynchronously(_ message: KafkaMessage, on client: OpaquePointer) -> Int32 {
        guard let offsets = rd_kafka_topic_partition_list_new(1) else { return RD_KAFKA_RESP_ERR__FAIL.rawValue }
        defer { rd_kafka_topic_partition_list_destroy(offsets) }
        let entry = rd_kafka_topic_partition_list_add(offsets, message.topic, message.partition)
        entry?.pointee.offset = message.offset + 1  // Kafka's committed offset is the next one to read
        let result = rd_kafka_commit(client, offsets, 0)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else { return result.rawValue }
        return offsets.pointee.elems[0].err.rawValue
    }
}
