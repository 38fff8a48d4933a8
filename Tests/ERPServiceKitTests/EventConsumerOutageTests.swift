import ERPKafka
import ERPPostgres
import ERPProtocol
import ERPServiceKit
import ERPTestSupport
import Foundation
import Logging
import Testing

@Suite("Event consumer during a database outage")
struct EventConsumerOutageTests {
    @Test("an event arriving while the database is down waits for it and is handled, not dead-lettered")
    func waitsOutOutage() async throws {
        let logger = Logger(label: "outage-test")
        // A private server: the shared one must never go down under other tests.
        let server = try await TemporaryPostgresServer.start()
        defer { server.stop() }
        let pool = PostgresPool(configuration: try PostgresConfiguration(url: server.url, poolSize: 2, connectTimeout: .seconds(1)), logger: logger)
        try await PostgresMigrator(pool: pool, migrations: PlatformMigrations.all + NotesSchema.migrations, lockName: "outage", logger: logger).migrate()

        let topic = TestEnvironment.uniqueName("outage")
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: TestEnvironment.kafkaBootstrapServers, clientID: "outage-test"), logger: logger)
        let kafkaConsumer = try KafkaConsumer(
            configuration: .init(bootstrapServers: TestEnvironment.kafkaBootstrapServers, groupID: TestEnvironment.uniqueName("outage"), topics: [topic], clientID: "outage-test"),
            logger: logger
        )
        let consumer = EventConsumer(
            configuration: .init(name: "outage-test", deadLetterTopic: topic + "_dlq", maxAttempts: 2, retryBaseDelay: .milliseconds(10)),
            consumer: kafkaConsumer, producer: producer, pool: pool, handlers: [NoteCreatedHandler()], logger: logger
        )

        let tenant = TenantID.random()
        let event = EventEnvelope(type: NoteCreated.type, tenantID: tenant, subject: "n1", data: NoteCreated(noteID: UUID(), title: "during outage"))
        let message = KafkaMessage(topic: topic, partition: 0, offset: 0, key: nil, value: [UInt8](try ERPJSON.encode(event)))

        try await server.pause()
        // Down for longer than maxAttempts × backoff: counted attempts would have dead-lettered it.
        let comeBack = Task {
            try await Task.sleep(for: .seconds(2))
            try await server.resume()
        }
        let outcome = try await consumer.process(message)
        try await comeBack.value

        #expect(outcome == .handled)
        #expect(consumer.counts.deadLettered == 0)
        let effects = try await pool.query("SELECT count(*)::int8 FROM note_effects WHERE event_id = \(event.id.uuid)")
        #expect(try effects.first!.decode(Int.self, at: 0) == 1)

        await kafkaConsumer.shutdown()
        await producer.shutdown()
        await pool.shutdown()
    }
}
