import ERPKafka
import ERPTestSupport
import Testing

/// Producer and consumer against the local stack's broker.
@Suite("Kafka round trip")
struct KafkaRoundTripTests {
    typealias Clients = KafkaTestClients

    @Test("every keyed message with headers is delivered, reported and consumed once, in per-key order")
    func keyedMessagesRoundTrip() async throws {
        let topic = TestEnvironment.uniqueName("erp_kafka_roundtrip")
        let keys = (0..<8).map { "tenant-\($0)" }
        let perKey = 25  // 200 messages
        let producer = try Clients.producer()

        // One task per key: keys are sent concurrently, each key's messages in order.
        let reports = try await withThrowingTaskGroup(of: [String: KafkaDeliveryReport].self) { group in
            for key in keys {
                group.addTask {
                    var reports: [String: KafkaDeliveryReport] = [:]
                    for sequence in 0..<perKey {
                        let id = "\(key)/\(sequence)"
                        let message = KafkaOutgoingMessage(
                            topic: topic,
                            key: Clients.bytes(key),
                            value: Clients.bytes("{\"id\":\"\(id)\"}"),
                            headers: [
                                KafkaHeader(key: "traceparent", value: Clients.bytes(Self.traceparent(id))),
                                KafkaHeader(key: "erp-sequence", value: Clients.bytes(String(sequence))),
                                KafkaHeader(key: "erp-empty", value: nil),
                            ]
                        )
                        reports[id] = try await producer.send(message)
                    }
                    return reports
                }
            }
            return try await group.reduce(into: [:]) { $0.merge($1) { first, _ in first } }
        }
        await producer.shutdown()

        #expect(reports.count == keys.count * perKey)
        #expect(reports.values.allSatisfy { $0.topic == topic && $0.offset >= 0 && $0.partition >= 0 })
        let positions = Set(reports.values.map { "\($0.partition)@\($0.offset)" })
        #expect(positions.count == reports.count, "two messages were reported at the same position")

        let consumer = try Clients.consumer(topic: topic, groupID: TestEnvironment.uniqueName("erp_kafka_roundtrip_group"))
        let consumed = try await Clients.collect(keys.count * perKey, from: consumer)
        let extra = try await Clients.drain(consumer, for: .seconds(1))
        await consumer.shutdown()

        #expect(consumed.count == keys.count * perKey)
        #expect(extra.isEmpty, "messages were delivered more than once")
        var lastSequence: [String: Int] = [:]
        var seen: Set<String> = []
        for message in consumed {
            let key = try #require(Clients.text(message.key))
            let sequence = try #require(Clients.text(message.header("erp-sequence")).flatMap(Int.init))
            let id = "\(key)/\(sequence)"
            #expect(seen.insert(id).inserted, "\(id) consumed twice")
            #expect(sequence == (lastSequence[key] ?? -1) + 1, "\(id) out of order")
            lastSequence[key] = sequence
            #expect(Clients.text(message.value) == "{\"id\":\"\(id)\"}")
            #expect(Clients.text(message.header("traceparent")) == Self.traceparent(id))
            #expect(message.headers.map(\.key) == ["traceparent", "erp-sequence", "erp-empty"])
            #expect(message.headers.last?.value == nil, "a value-less header came back with a value")
            #expect(message.timestamp != nil)
            let report = try #require(reports[id])
            #expect(report.partition == message.partition && report.offset == message.offset)
        }
        #expect(lastSequence.count == keys.count)
    }

    @Test("a full local queue makes send wait and retry instead of dropping")
    func queueFullWaits() async throws {
        let topic = TestEnvironment.uniqueName("erp_kafka_queuefull")
        let producer = try Clients.producer(extra: ["queue.buffering.max.messages": "4"])
        let count = 120
        let reports = try await TimeLimit.run(within: .seconds(60)) {
            try await withThrowingTaskGroup(of: KafkaDeliveryReport.self) { group in
                for index in 0..<count {
                    group.addTask {
                        try await producer.send(KafkaOutgoingMessage(topic: topic, key: Clients.bytes("k\(index % 3)"), value: Clients.bytes("v\(index)")))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        await producer.shutdown()
        #expect(reports.count == count)
        #expect(Set(reports.map { "\($0.partition)@\($0.offset)" }).count == count)
    }

    @Test("a consumer subscribed before its topic exists receives the first events")
    func consumerBeforeTopicExists() async throws {
        let topic = TestEnvironment.uniqueName("erp_kafka_latetopic")
        let consumer = try Clients.consumer(topic: topic, groupID: TestEnvironment.uniqueName("erp_kafka_latetopic_group"))
        let reading = Task { try await Clients.collect(1, from: consumer, within: .seconds(45)) }
        try await Task.sleep(for: .seconds(1))
        let producer = try Clients.producer()
        _ = try await producer.send(KafkaOutgoingMessage(topic: topic, key: nil, value: Clients.bytes("first")))
        await producer.shutdown()
        let messages = try await TimeLimit.value(of: reading, within: .seconds(50))
        await consumer.shutdown()
        #expect(messages.map { Clients.text($0.value) } == ["first"])
        #expect(messages.first?.key == nil)
    }

    static func traceparent(_ id: String) -> String {
        let hex = String(UInt64(bitPattern: Int64(id.hashValue)), radix: 16)
        return "00-\(String(repeating: "0", count: 32 - hex.count))\(hex)-00f067aa0ba902b7-01"
    }
}
