import ERPKafka
import ERPPostgres
import ERPProtocol
import ERPServiceKit
import ERPTestSupport
import Foundation
import Logging
import Synchronization

/// Outbox → Kafka → consumer at a fixed offered rate: events/s handled and commit-to-handled
/// latency (p50/p99), against a reference in the same process and minute — the same rate of
/// plain Kafka produce → consume with no database on either side.
struct OutboxBenchmark {
    let rate = 500
    let seconds = 10

    struct Payload: Codable, Sendable {
        let sequence: Int
    }

    static let eventType = try! EventType(service: .crm, aggregate: "bench_item", verb: "recorded")

    /// Handler that writes an effect row (so the inbox transaction is realistic) and records latency.
    struct RecordingHandler: EventHandler {
        let latencies: LatencyBox
        var eventType: EventType { OutboxBenchmark.eventType }

        func handle(_ event: EventEnvelope<Payload>, connection: PostgresConnection) async throws {
            try await connection.execute("INSERT INTO bench_effects (tenant_id, event_id) VALUES (\(event.tenantID.uuid), \(event.id.uuid))")
            latencies.record(Date().timeIntervalSince(event.time))
        }
    }

    func run() async throws {
        print("\n== Outbox → Kafka → inbox consumer (\(rate) events/s offered for \(seconds) s) ==")
        let direct = try await directKafka()
        let outbox = try await outboxPipeline()
        report("plain Kafka produce→consume ", direct)
        report("outbox commit→handled       ", outbox)
        print("ratio outbox / plain Kafka   : p50 \(format(outbox.p50 / max(direct.p50, 0.001), 1)) ×   p99 \(format(outbox.p99 / max(direct.p99, 0.001), 1)) ×   throughput \(format(outbox.throughput / max(direct.throughput, 1))) ×")
    }

    struct Result {
        let throughput: Double
        let p50: Double
        let p99: Double
        let count: Int
    }

    private func report(_ label: String, _ result: Result) {
        print("\(label): \(format(result.throughput, 0)) events/s handled (\(result.count)), p50 \(format(result.p50)) ms, p99 \(format(result.p99)) ms")
    }

    private func outboxPipeline() async throws -> Result {
        let logger = Logger(label: "bench-outbox")
        let schema = try await TestSchema.create("bench")
        let owner = PostgresPool(configuration: try PostgresConfiguration(url: schema.ownerURL, poolSize: 1), logger: logger)
        let effects = PostgresMigration(
            version: 100, name: "bench_effects",
            sql: "CREATE TABLE bench_effects (tenant_id uuid NOT NULL, event_id uuid PRIMARY KEY, handled_at timestamptz NOT NULL DEFAULT now())"
        )
        try await PostgresMigrator(pool: owner, migrations: PlatformMigrations.all + [effects], lockName: schema.name, logger: logger).migrate()
        await owner.shutdown()

        let pool = PostgresPool(configuration: try PostgresConfiguration(url: schema.appURL, poolSize: 8), logger: logger)
        let topic = TestEnvironment.uniqueName("bench_outbox")
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: TestEnvironment.kafkaBootstrapServers, clientID: "bench"), logger: logger)
        let warmUp = try ERPJSON.encode(EventEnvelope(type: try EventType(service: .crm, aggregate: "bench_item", verb: "warmed"), tenantID: .random(), subject: "w", data: JSONValue.null))
        _ = try await producer.send(KafkaOutgoingMessage(topic: topic, key: nil, value: [UInt8](warmUp)))
        let kafkaConsumer = try KafkaConsumer(
            configuration: .init(
                bootstrapServers: TestEnvironment.kafkaBootstrapServers, groupID: TestEnvironment.uniqueName("bench"), topics: [topic],
                clientID: "bench", commitMode: .periodic(interval: .seconds(1))
            ),
            logger: logger
        )
        let latencies = LatencyBox()
        let relay = OutboxRelay(pool: pool, producer: producer, configuration: .init(idlePollInterval: .milliseconds(20)), logger: logger)
        let consumer = EventConsumer(
            configuration: .init(name: "bench", deadLetterTopic: topic + "_dlq"),
            consumer: kafkaConsumer, producer: producer, pool: pool, handlers: [RecordingHandler(latencies: latencies)], logger: logger
        )
        let relayTask = Task { try await relay.run() }
        let consumerTask = Task { try await consumer.run() }
        // Wait until the consumer has joined its group (it sees the warm-up) so joining isn't measured.
        while consumer.counts.ignored == 0 { try await Task.sleep(for: .milliseconds(50)) }

        let tenants = (0..<8).map { _ in TenantID.random() }
        let total = rate * seconds
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sequence in 0..<total {
                // Open loop: each write starts at its scheduled time whatever the others do.
                let due = start + .microseconds(Int64(sequence) * 1_000_000 / Int64(rate))
                try await Task.sleep(until: due, clock: .continuous)
                group.addTask {
                    let tenant = tenants[sequence % tenants.count]
                    try await pool.withTenantTransaction(tenant: tenant.uuid) { connection in
                        let event = EventEnvelope(type: Self.eventType, tenantID: tenant, subject: "item-\(sequence)", data: Payload(sequence: sequence))
                        try await Outbox.enqueue(event, topic: topic, on: connection)
                    }
                }
            }
            try await group.waitForAll()
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while latencies.count < total && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let elapsed = ContinuousClock.now - start

        relayTask.cancel()
        _ = try? await relayTask.value
        await kafkaConsumer.shutdown()
        _ = try? await consumerTask.value
        await producer.shutdown()
        await pool.shutdown()
        try await schema.drop()
        return latencies.result(elapsed: elapsed)
    }

    private func directKafka() async throws -> Result {
        let logger = Logger(label: "bench-kafka")
        let topic = TestEnvironment.uniqueName("bench_direct")
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: TestEnvironment.kafkaBootstrapServers, clientID: "bench"), logger: logger)
        _ = try await producer.send(KafkaOutgoingMessage(topic: topic, key: nil, value: Array("warm-up".utf8)))
        let consumer = try KafkaConsumer(
            configuration: .init(
                bootstrapServers: TestEnvironment.kafkaBootstrapServers, groupID: TestEnvironment.uniqueName("bench"), topics: [topic],
                clientID: "bench", commitMode: .periodic(interval: .seconds(1))
            ),
            logger: logger
        )
        let latencies = LatencyBox()
        let total = rate * seconds
        let consumerTask = Task {
            for try await message in consumer.messages {
                guard let text = String(bytes: message.value, encoding: .utf8), let sent = Double(text) else { continue }
                latencies.record(Date().timeIntervalSince1970 - sent)
                try await consumer.acknowledge(message)
                if latencies.count >= total { break }
            }
        }
        // Let the consumer join before the clock starts.
        try await Task.sleep(for: .seconds(4))
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sequence in 0..<total {
                let due = start + .microseconds(Int64(sequence) * 1_000_000 / Int64(rate))
                try await Task.sleep(until: due, clock: .continuous)
                group.addTask {
                    let stamp = String(Date().timeIntervalSince1970)
                    _ = try await producer.send(KafkaOutgoingMessage(topic: topic, key: Array("k\(sequence % 8)".utf8), value: Array(stamp.utf8)))
                }
            }
            try await group.waitForAll()
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while latencies.count < total && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let elapsed = ContinuousClock.now - start
        await consumer.shutdown()
        _ = try? await consumerTask.value
        await producer.shutdown()
        return latencies.result(elapsed: elapsed)
    }
}

/// Latencies recorded from handler tasks.
final class LatencyBox: Sendable {
    private let values = Mutex<[Double]>([])

    func record(_ seconds: TimeInterval) {
        values.withLock { $0.append(seconds * 1000) }
    }

    var count: Int { values.withLock { $0.count } }

    func result(elapsed: Duration) -> OutboxBenchmark.Result {
        let sorted = values.withLock { $0 }.sorted()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
        }
        return .init(throughput: Double(sorted.count) / (elapsed.milliseconds / 1000), p50: percentile(0.5), p99: percentile(0.99), count: sorted.count)
    }
}
