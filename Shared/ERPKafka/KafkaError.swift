import CRdKafka

/// An error from the Kafka wrapper: a stable `code` to branch on, a human-readable `message`,
/// and librdkafka's own error code when the error came from the library.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; compare against the `static let`s.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case deliveryFailed, timedOut, queueFull, configuration, shutDown, consumer, commitFailed, fatal, unavailable
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The broker did not accept a produced message (or the produce call was refused).
        public static let deliveryFailed = Code(.deliveryFailed)
        /// A message was not acknowledged within its delivery timeout, or a flush ran out of time.
        public static let timedOut = Code(.timedOut)
        /// The local producer queue was full (normally absorbed by `send`, which waits and retries).
        public static let queueFull = Code(.queueFull)
        /// A configuration property was rejected, or the client could not be created.
        public static let configuration = Code(.configuration)
        /// The client was shut down before or while the operation ran.
        public static let shutDown = Code(.shutDown)
        /// The consumer could not subscribe or poll.
        public static let consumer = Code(.consumer)
        /// An offset commit was refused.
        public static let commitFailed = Code(.commitFailed)
        /// librdkafka raised a fatal error; the client can no longer be used and must be recreated.
        public static let fatal = Code(.fatal)
        /// No broker answered (for example a connection check while the cluster is down).
        public static let unavailable = Code(.unavailable)

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String
    /// librdkafka's `rd_kafka_resp_err_t` value, when the error came from the library.
    public let rdKafkaCode: Int32?

    public init(code: Code, message: String, rdKafkaCode: Int32? = nil) {
        self.code = code
        self.message = message
        self.rdKafkaCode = rdKafkaCode
    }

    /// True when trying the same operation again later may succeed (broker unreachable,
    /// timeouts, full queues, leadership changes); false for shutdown, fatal and configuration errors.
    public var isRetriable: Bool {
        switch code {
        case .timedOut, .queueFull, .unavailable:
            return true
        case .deliveryFailed, .commitFailed, .consumer:
            guard let rdKafkaCode else { return false }
            return Self.transientCodes.contains(rdKafkaCode)
        default:
            return false
        }
    }

    public var description: String {
        var text = "Kafka error \(code): \(message)"
        if let rdKafkaCode { text += " (rd_kafka code \(rdKafkaCode))" }
        return text
    }

    /// Codes librdkafka reports for conditions that clear up by themselves.
    private static let transientCodes: Set<Int32> = [
        RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
        RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE, RD_KAFKA_RESP_ERR__QUEUE_FULL,
        RD_KAFKA_RESP_ERR__WAIT_COORD, RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
        RD_KAFKA_RESP_ERR__ASSIGNMENT_LOST,
        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION,
        RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS, RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_NOT_COORDINATOR, RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
        RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID,
        RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION,
    ].reduce(into: Set<Int32>()) { $0.insert($1.rawValue) }
}

extension KafkaError {
    /// Wraps a librdkafka response code, with librdkafka's own text for it.
    init(code: Code, rdKafkaError: rd_kafka_resp_err_t) {
        self.init(code: code, message: String(cString: rd_kafka_err2str(rdKafkaError)), rdKafkaCode: rdKafkaError.rawValue)
    }

    static func shutDown(_ message: String) -> KafkaError {
        KafkaError(code: .shutDown, message: message)
    }
}
