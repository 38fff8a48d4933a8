import ERPKafka
import ERPTestSupport
import Synchronization
import Testing

/// Broker outages, simulated with an in-process mock cluster (the shared dev broker must stay up).
@Suite("Kafka broker outage")
struct KafkaBrokerOutageTests {
    typealias Clients = KafkaTestClients

    @Test("a send while the broker is down stays pending and completes, exactly once, when it returns")
    func sendSurvivesOutage() async throws {
        let cluster = try KafkaMockCluster()
        defer { cluster.shutdown() }
        let topic = TestEnvironment.uniqueName("erp_kafka_outage")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try Clients.producer(bootstrapServers: cluster.bootstrapServers)
        // Connected, with metadata and an idempotent producer id, before the outage.
        _ = try await producer.send(KafkaOutgoingMessage(topic: topic, key: nil, value: Clients.bytes("before")))

        try cluster.setBrokerDown(1)
        let finished = Atomic<Bool>(false)
        let pending = Task {
            defer { finished.store(true, ordering: .releasing) }
            return try await producer.send(KafkaOutgoingMessage(topic: topic, key: nil, value: Clients.bytes("during")))
        }
        try await Task.sleep(for: .seconds(3))
        let completedWhileDown = finished.load(ordering: .acquiring)
        #expect(!completedWhileDown, "the send completed while the broker was down")

        try cluster.setBrokerUp(1)
        let report = try await TimeLimit.value(of: pending, within: .seconds(40))
        #expect(report.topic == topic && report.offset == 1)
        await producer.shutdown()

        let consumer = try Clients.consumer(bootstrapServers: cluster.bootstrapServers, topic: topic, groupID: TestEnvironment.uniqueName("erp_kafka_outage_group"))
        let messages = try await Clients.collect(2, from: consumer)
        let extra = try await Clients.drain(consumer, for: .seconds(1))
        await consumer.shutdown()
        #expect(messages.map { Clients.text($0.value) } == ["before", "during"])
        #expect(extra.isEmpty, "the message sent during the outage was stored twice")
    }

    @Test("a send that cannot be delivered within its delivery timeout throws timedOut")
    func deliveryTimeoutSurfaces() async throws {
        let cluster = try KafkaMockCluster()
        defer { cluster.shutdown() }
        let topic = TestEnvironment.uniqueName("erp_kafka_timeout")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try Clients.producer(bootstrapServers: cluster.bootstrapServers, deliveryTimeout: .seconds(2))
        _ = try await producer.send(KafkaOutgoingMessage(topic: topic, key: nil, value: Clients.bytes("before")))

        try cluster.setBrokerDown(1)
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = try await TimeLimit.run(within: .seconds(30)) { () -> Result<KafkaDeliveryReport, KafkaError> in
            do {
                return .success(try await producer.send(KafkaOutgoingMessage(topic: topic, key: nil, value: Clients.bytes("lost"))))
            } catch let error as KafkaError {
                return .failure(error)
            }
        }
        let elapsed = clock.now - start
        try cluster.setBrokerUp(1)
        await producer.shutdown()

        guard case .failure(let error) = outcome else {
            Issue.record("the send succeeded while the broker was down")
            return
        }
        #expect(error.code == .timedOut)
        #expect(error.isRetriable)
        // It was pending (not refused at once) until the delivery timeout; TimeLimit bounds the wait.
        #expect(elapsed >= .seconds(1))
    }

    @Test("the connection check passes while a broker answers and fails, bounded, while none does")
    func connectionCheck() async throws {
        let cluster = try KafkaMockCluster()
        defer { cluster.shutdown() }
        let producer = try Clients.producer(bootstrapServers: cluster.bootstrapServers)
        try await producer.checkConnection(timeout: .seconds(10))

        try cluster.setBrokerDown(1)
        let error = await #expect(throws: KafkaError.self) {
            try await TimeLimit.run(within: .seconds(20)) { try await producer.checkConnection(timeout: .seconds(2)) }
        }
        #expect(error?.isRetriable == true)

        try cluster.setBrokerUp(1)
        try await TimeLimit.run(within: .seconds(30)) {
            while true {
                do { return try await producer.checkConnection(timeout: .seconds(2)) } catch { try await Task.sleep(for: .milliseconds(200)) }
            }
        }
        await producer.shutdown()
        await #expect(throws: KafkaError.self) { try await producer.checkConnection(timeout: .seconds(1)) }
    }
}
