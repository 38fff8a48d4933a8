import ERPKafka
import Testing

/// Configuration mistakes surface as errors when the client is created, not later.
@Suite("Kafka configuration")
struct KafkaConfigurationTests {
    @Test("an unknown librdkafka property is rejected with a configuration error naming it")
    func unknownPropertyRejected() throws {
        let producerError = #expect(throws: KafkaError.self) {
            try KafkaProducer(
                configuration: KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:1", clientID: "erp-kafka-tests", extra: ["no.such.property": "1"]),
                logger: KafkaTestClients.logger
            )
        }
        #expect(producerError?.code == .configuration)
        #expect(producerError?.message.contains("no.such.property") == true)
        #expect(producerError?.isRetriable == false)

        let consumerError = #expect(throws: KafkaError.self) {
            try KafkaConsumer(
                configuration: KafkaConsumerConfiguration(
                    bootstrapServers: "127.0.0.1:1", groupID: "g", topics: ["t"], clientID: "erp-kafka-tests",
                    extra: ["session.timeout.ms": "not-a-number"]
                ),
                logger: KafkaTestClients.logger
            )
        }
        #expect(consumerError?.code == .configuration)
    }
}
