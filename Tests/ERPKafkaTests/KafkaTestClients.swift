import ERPKafka
import ERPTestSupport
import Logging

/// Clients and helpers the Kafka tests share.
enum KafkaTestClients {
    static let logger = Logger(label: "erp.kafka.tests")

    static func producer(
        bootstrapServers: String = TestEnvironment.kafkaBootstrapServers,
        deliveryTimeout: Duration = .seconds(30),
        extra: [String: String] = [:]
    ) throws -> KafkaProducer {
        try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                bootstrapServers: bootstrapServers,
                clientID: "erp-kafka-tests",
                deliveryTimeout: deliveryTimeout,
                extra: extra
            ),
            logger: logger
        )
    }

    static func consumer(
        bootstrapServers: String = TestEnvironment.kafkaBootstrapServers,
        topic: String,
        groupID: String,
        commitMode: KafkaConsumerConfiguration.CommitMode = .synchronous
    ) throws -> KafkaConsumer {
        try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                bootstrapServers: bootstrapServers, groupID: groupID, topics: [topic], clientID: "erp-kafka-tests", commitMode: commitMode
            ),
            logger: logger
        )
    }

    /// Reads exactly `count` messages, failing the test instead of hanging when they do not come.
    static func collect(_ count: Int, from consumer: KafkaConsumer, within limit: Duration = .seconds(60)) async throws -> [KafkaMessage] {
        try await TimeLimit.run(within: limit) {
            var messages: [KafkaMessage] = []
            for try await message in consumer.messages {
                messages.append(message)
                if messages.count == count { break }
            }
            return messages
        }
    }

    /// Whatever else arrives within `window` (cancelling the iteration ends the sequence).
    static func drain(_ consumer: KafkaConsumer, for window: Duration) async throws -> [KafkaMessage] {
        let reader = Task {
            var messages: [KafkaMessage] = []
            for try await message in consumer.messages {
                messages.append(message)
            }
            return messages
        }
        try await Task.sleep(for: window)
        reader.cancel()
        return try await TimeLimit.value(of: reader, within: .seconds(10))
    }

    static func bytes(_ text: String) -> [UInt8] {
        Array(text.utf8)
    }

    static func text(_ bytes: [UInt8]?) -> String? {
        bytes.map { String(decoding: $0, as: UTF8.self) }
    }
}
