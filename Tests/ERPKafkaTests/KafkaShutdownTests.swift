import ERPKafka
import ERPTestSupport
import Testing

/// What the clients do once they were shut down.
@Suite("Kafka shutdown")
struct KafkaShutdownTests {
    typealias Clients = KafkaTestClients

    @Test("a send after producer shutdown throws shutDown")
    func sendAfterShutdown() async throws {
        let topic = TestEnvironment.uniqueName("erp_kafka_shutdown")
        let producer = try Clients.producer()
        _ = try await producer.send(KafkaOutgoingMessage(topic: topic, key: nil, value: Clients.bytes("before")))
        try await producer.flush(timeout: .seconds(5))
        await producer.shutdown()
        await producer.shutdown()  // idempotent

        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaOutgoingMessage(topic: topic, key: nil, value: Clients.bytes("after")))
        }
        #expect(error?.code == .shutDown)
        #expect(error?.isRetriable == false)
        await #expect(throws: KafkaError.self) { try await producer.flush(timeout: .seconds(1)) }
    }

    @Test("consumer shutdown ends a waiting message sequence and refuses commits")
    func consumerSequenceEnds() async throws {
        let topic = TestEnvironment.uniqueName("erp_kafka_shutdown_consumer")
        let consumer = try Clients.consumer(topic: topic, groupID: TestEnvironment.uniqueName("erp_kafka_shutdown_group"))
        let reader = Task {
            var count = 0
            for try await _ in consumer.messages { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(500))
        await consumer.shutdown()
        let count = try await TimeLimit.value(of: reader, within: .seconds(10))
        #expect(count == 0)

        var afterShutdown = consumer.messages.makeAsyncIterator()
        #expect(try await afterShutdown.next() == nil)
        let message = KafkaMessage(topic: topic, partition: 0, offset: 0, key: nil, value: [])
        let error = await #expect(throws: KafkaError.self) { try await consumer.commit(message) }
        #expect(error?.code == .shutDown)
    }
}
