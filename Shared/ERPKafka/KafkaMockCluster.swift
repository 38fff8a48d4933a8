import CRdKafka
import Foundation
import Logging

/// librdkafka's built-in mock Kafka cluster, hosted by this process.
///
/// It listens on real loopback TCP ports (ephemeral ones, chosen at start) and speaks enough of
/// the protocol for producers, consumer groups and committed offsets; all state lives in memory.
/// Used by the dev broker and by tests that need to take brokers down.
public final class KafkaMockCluster: @unchecked Sendable {  // `cluster` is only read or changed under `lock`
    /// Comma-separated `host:port` list of the mock brokers.
    public let bootstrapServers: String
    /// The rd_kafka_t that hosts the mock; it must outlive the cluster.
    private let host: KafkaClientHandle
    /// nil once shut down.
    private var cluster: OpaquePointer?
    /// Also keeps broker and topic changes from racing the destroy.
    private let lock = NSLock()

    /// Starts `brokerCount` mock brokers (ids 1...brokerCount).
    public init(brokerCount: Int = 1, logger: Logger = Logger(label: "erp.kafka.mock")) throws {
        host = try KafkaClientHandle(
            kind: .producer,
            // Warnings and up only: the host never connects anywhere, so its notice about having
            // no bootstrap.servers is noise.
            properties: [("client.id", "erp-kafka-mock-host"), ("log_level", "4")],
            context: KafkaClientContext(logger: logger)
        )
        let created = host.withHandle { rd_kafka_mock_cluster_new($0, Int32(clamping: brokerCount)) } ?? nil
        guard let created else {
            host.destroy()
            throw KafkaError(code: .configuration, message: "could not start the mock cluster")
        }
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(created))
        cluster = created
    }

    deinit {
        shutdown()
    }

    /// Makes broker `brokerID` unreachable (connections dropped and refused) until `setBrokerUp`.
    public func setBrokerDown(_ brokerID: Int32) throws {
        try withCluster { rd_kafka_mock_broker_set_down($0, brokerID) }
    }

    /// Brings broker `brokerID` back.
    public func setBrokerUp(_ brokerID: Int32) throws {
        try withCluster { rd_kafka_mock_broker_set_up($0, brokerID) }
    }

    /// Creates a topic up front (topics are otherwise auto-created with 4 partitions on first use).
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws {
        try withCluster { rd_kafka_mock_topic_create($0, name, partitions, replicationFactor) }
    }

    /// Stops the mock brokers, then frees their host client (the reverse order aborts librdkafka).
    public func shutdown() {
        lock.lock()
        if let cluster {
            rd_kafka_mock_cluster_destroy(cluster)
            self.cluster = nil
        }
        lock.unlock()
        host.destroy()
    }

    private func withCluster(_ body: (OpaquePointer) -> rd_kafka_resp_err_t) throws {
        lock.lock()
        let result = cluster.map(body)
        lock.unlock()
        guard let result else { throw KafkaError.shutDown("mock cluster is shut down") }
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: .configuration, rdKafkaError: result)
        }
    }
}
