import ERPKafka
import ERPTestSupport
import Testing

/// Manual offset commits decide where a group resumes.
@Suite("Kafka manual commit")
struct KafkaCommitTests {
    typealias Clients = KafkaTestClients

    @Test(
        "a new member of the group resumes right after the last acknowledged message",
        arguments: [KafkaConsumerConfiguration.CommitMode.synchronous, .periodic(interval: .milliseconds(200))]
    )
    func resumesAfterCommitted(mode: KafkaConsumerConfiguration.CommitMode) async throws {
        let topic = TestEnvironment.uniqueName("erp_kafka_commit")
        let group = TestEnvironment.uniqueName("erp_kafka_commit_group")
        let total = 10
        let committed = 4

        // One key, so every message lands in the same partition and "first K" is well defined.
        let producer = try Clients.producer()
        for index in 0..<total {
            _ = try await producer.send(KafkaOutgoingMessage(topic: topic, key: Clients.bytes("aggregate-1"), value: Clients.bytes("event-\(index)")))
        }
        await producer.shutdown()

        let first = try Clients.consumer(topic: topic, groupID: group, commitMode: mode)
        let firstRead = try await Clients.collect(total, from: first)
        #expect(firstRead.map { Clients.text($0.value) } == (0..<total).map { "event-\($0)" })
        for message in firstRead.prefix(committed) {
            // Periodic mode stores the offset; closing the consumer commits what was stored.
            try await first.acknowledge(message)
        }
        await first.shutdown()

        let second = try Clients.consumer(topic: topic, groupID: group)
        let secondRead = try await Clients.collect(total - committed, from: second)
        let extra = try await Clients.drain(second, for: .seconds(1))
        await second.shutdown()

        #expect(secondRead.map { Clients.text($0.value) } == (committed..<total).map { "event-\($0)" })
        #expect(secondRead.first?.offset == firstRead[committed].offset)
        #expect(extra.isEmpty, "committed messages were delivered again")
    }
}
