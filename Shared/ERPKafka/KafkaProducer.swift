import CRdKafka
import ERPConcurrency
import Logging

/// An idempotent Kafka producer whose `send` returns once the broker acknowledged the record.
///
/// A dedicated thread runs librdkafka's `rd_kafka_poll` loop, which serves delivery reports and
/// resumes the waiting `send`. Blocking calls (poll, flush, destroy) never run on Swift's
/// cooperative pool.
public final class KafkaProducer: Sendable {
    private let configuration: KafkaProducerConfiguration
    private let logger: Logger
    private let handle: KafkaClientHandle
    private let deliveries: DeliveryRegistry
    private let pollStop = StopSignal()
    /// Runs nothing but the poll loop, for the producer's whole life.
    private let pollThread: BlockingExecutor
    /// Flush, connection checks and destroy, which must not queue behind the poll loop
    /// (two threads, so a readiness check is not stuck behind a long flush).
    private let workThread: BlockingExecutor

    /// Creates the client and starts its poll thread.
    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let deliveries = DeliveryRegistry()
        self.deliveries = deliveries
        handle = try KafkaClientHandle(
            kind: .producer,
            properties: configuration.properties,
            context: KafkaClientContext(logger: logger, deliveries: deliveries)
        ) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf) { _, message, opaque in
                KafkaProducer.deliveryReportReceived(message, opaque: opaque)
            }
        }
        pollThread = BlockingExecutor(threadCount: 1, name: "kafka-producer-poll")
        workThread = BlockingExecutor(threadCount: 2, name: "kafka-producer-work")
        // The loop holds the handle, not the producer, so dropping the producer can stop it.
        pollThread.submit { [handle, pollStop] in
            while !pollStop.isStopped {
                guard handle.withHandle({ rd_kafka_poll($0, 100) }) != nil else { return }
            }
        }
        logger.debug(
            "Kafka producer started",
            metadata: [KafkaLogKey.client: .string(configuration.clientID), KafkaLogKey.bootstrapServers: .string(configuration.bootstrapServers)]
        )
    }

    deinit {
        // Only reached when nobody called shutdown() and no send is in flight (a send retains self).
        pollStop.stop()
        if !pollThread.submit({ [handle] in handle.destroy() }) {
            handle.destroy()
        }
        pollThread.shutdown()
        workThread.shutdown()
    }

    /// Produces `message` and returns where the broker stored it.
    ///
    /// Resumes only after the broker acknowledged the record (`acks=all`), or throws a
    /// `KafkaError` when delivery failed or the delivery timeout passed. While librdkafka's local
    /// queue is full it waits and retries rather than dropping the message. Cancelling the task
    /// only stops the waiting for queue space; an enqueued message is still delivered.
    public func send(_ message: KafkaOutgoingMessage) async throws -> KafkaDeliveryReport {
        var backoff = Duration.milliseconds(1)
        while true {
            let outcome = try await withCheckedThrowingContinuation { (waiter: DeliveryRegistry.Waiter) in
                enqueue(message, waiter: waiter)
            }
            switch outcome {
            case .delivered(let report):
                return report
            case .queueFull:
                // Space frees up as delivery reports come in; poll for it with a capped backoff.
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .milliseconds(100))
            }
        }
    }

    /// Waits until every message produced so far was acknowledged or failed.
    /// Throws `.timedOut` when some are still outstanding after `timeout`.
    public func flush(timeout: Duration) async throws {
        let milliseconds = timeout.clampedMilliseconds
        let result: Int32?
        do {
            result = try await workThread.run { [handle] in
                handle.withHandle { rd_kafka_flush($0, milliseconds).rawValue }
            }
        } catch {
            throw KafkaError.shutDown("producer is shut down")
        }
        guard let result else { throw KafkaError.shutDown("producer is shut down") }
        let code = rd_kafka_resp_err_t(rawValue: result)
        if code == RD_KAFKA_RESP_ERR__TIMED_OUT {
            throw KafkaError(code: .timedOut, message: "messages were still outstanding when the flush timed out", rdKafkaCode: result)
        } else if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: .deliveryFailed, rdKafkaError: code)
        }
    }

    /// Asks a broker for cluster metadata, for readiness checks: returns when one answered within
    /// `timeout`, throws `.timedOut`/`.unavailable` when none did, `.fatal` after a fatal error.
    public func checkConnection(timeout: Duration) async throws {
        if let fatal = handle.context.fatalError { throw fatal }
        let milliseconds = timeout.clampedMilliseconds
        let result: Int32?
        do {
            result = try await workThread.run { [handle] in
                handle.withHandle { client -> Int32 in
                    var metadata: UnsafePointer<rd_kafka_metadata>?
                    // all_topics=0 and no topic: only brokers (and topics already known locally).
                    let error = rd_kafka_metadata(client, 0, nil, &metadata, milliseconds)
                    if let metadata { rd_kafka_metadata_destroy(metadata) }
                    return error.rawValue
                }
            }
        } catch {
            throw KafkaError.shutDown("producer is shut down")
        }
        guard let result else { throw KafkaError.shutDown("producer is shut down") }
        let code = rd_kafka_resp_err_t(rawValue: result)
        switch code {
        case RD_KAFKA_RESP_ERR_NO_ERROR:
            return
        case RD_KAFKA_RESP_ERR__TIMED_OUT:
            throw KafkaError(code: .timedOut, message: "no broker answered a metadata request in time", rdKafkaCode: result)
        default:
            throw KafkaError(code: .unavailable, rdKafkaError: code)
        }
    }

    /// Flushes outstanding messages (for at most the delivery timeout, capped at 10 s), fails the
    /// ones still pending with `.shutDown`, stops the poll thread and destroys the client.
    /// Later sends throw `.shutDown`.
    public func shutdown() async {
        guard deliveries.close() else { return }
        let flushMilliseconds = min(configuration.deliveryTimeout, .seconds(10)).clampedMilliseconds
        let outstanding = try? await workThread.run { [handle] in
            handle.withHandle { client -> Int32 in
                guard rd_kafka_flush(client, flushMilliseconds) != RD_KAFKA_RESP_ERR_NO_ERROR else { return 0 }
                let remaining = rd_kafka_outq_len(client)
                // Purged messages get a delivery report with _PURGE_*; the poll loop serves it.
                rd_kafka_purge(client, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
                _ = rd_kafka_flush(client, 1000)
                return remaining
            }
        }
        if let outstanding, outstanding > 0 {
            logger.warning("Kafka producer shut down with undelivered messages", metadata: ["erp.kafka.outstanding": .stringConvertible(outstanding)])
        }
        pollStop.stop()
        _ = try? await pollThread.run {}  // queued behind the poll loop: returns once it has exited
        deliveries.failAll(with: .shutDown("producer shut down before the message was acknowledged"))
        _ = try? await workThread.run { [handle] in handle.destroy() }
        pollThread.shutdown()
        workThread.shutdown()
        logger.debug("Kafka producer shut down", metadata: [KafkaLogKey.client: .string(configuration.clientID)])
    }

    /// Registers the waiter, then offers the message to librdkafka; the delivery report (or an
    /// immediate refusal) resumes it.
    private func enqueue(_ message: KafkaOutgoingMessage, waiter: DeliveryRegistry.Waiter) {
        // Registered first: the report can arrive on the poll thread before produce returns.
        guard let id = deliveries.register(waiter) else {
            waiter.resume(throwing: KafkaError.shutDown("producer is shut down"))
            return
        }
        let result = handle.withHandle { message.produce(on: $0, id: id) }
        guard let result else {
            deliveries.take(id)?.resume(throwing: KafkaError.shutDown("producer is shut down"))
            return
        }
        switch result {
        case RD_KAFKA_RESP_ERR_NO_ERROR:
            break
        case RD_KAFKA_RESP_ERR__QUEUE_FULL:
            deliveries.take(id)?.resume(returning: .queueFull)
        case RD_KAFKA_RESP_ERR__FATAL:
            let error = handle.context.fatalError ?? KafkaError(code: .fatal, rdKafkaError: result)
            deliveries.take(id)?.resume(throwing: error)
        default:
            deliveries.take(id)?.resume(throwing: KafkaError(code: .deliveryFailed, rdKafkaError: result))
        }
    }

    /// The `dr_msg_cb`: runs on the poll thread for every message librdkafka is done with.
    private static func deliveryReportReceived(_ message: UnsafePointer<rd_kafka_message_t>?, opaque: UnsafeMutableRawPointer?) {
        guard let message, let deliveries = KafkaClientContext.from(opaque)?.deliveries else { return }
        let report = message.pointee
        guard let waiter = deliveries.take(UInt(bitPattern: report._private)) else { return }
        switch report.err {
        case RD_KAFKA_RESP_ERR_NO_ERROR:
            let topic = String(cString: rd_kafka_topic_name(report.rkt))
            waiter.resume(returning: .delivered(KafkaDeliveryReport(topic: topic, partition: report.partition, offset: report.offset)))
        case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
            waiter.resume(throwing: KafkaError(code: .timedOut, rdKafkaError: report.err))
        case RD_KAFKA_RESP_ERR__PURGE_QUEUE, RD_KAFKA_RESP_ERR__PURGE_INFLIGHT:
            waiter.resume(throwing: KafkaError(code: .shutDown, rdKafkaError: report.err))
        case RD_KAFKA_RESP_ERR__FATAL:
            waiter.resume(throwing: KafkaError(code: .fatal, rdKafkaError: report.err))
        default:
            waiter.resume(throwing: KafkaError(code: .deliveryFailed, rdKafkaError: report.err))
        }
    }
}
