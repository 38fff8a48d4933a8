import ERPKafka
import ERPPostgres
import ERPProtocol
import ERPServiceKit
import ERPTestSupport
import Foundation
import Logging

/// The small test service wired like a real one: its own schema (platform + notes migrations
/// applied by the owner), an application-role pool, an outbox relay and an event consumer with
/// inbox and dead-letter topic, all against real Postgres and a real Kafka-protocol broker.
final class NotesHarness: Sendable {
    let schema: TestSchema
    let pool: PostgresPool
    let admin: PostgresPool
    let producer: KafkaProducer
    let kafkaConsumer: KafkaConsumer
    let relay: OutboxRelay
    let consumer: EventConsumer
    let repository: NotesRepository
    let topic: String
    let deadLetterTopic: String
    let bootstrapServers: String

    private init(
        schema: TestSchema, pool: PostgresPool, admin: PostgresPool, producer: KafkaProducer, kafkaConsumer: KafkaConsumer,
        relay: OutboxRelay, consumer: EventConsumer, topic: String, deadLetterTopic: String, bootstrapServers: String
    ) {
        self.schema = schema
        self.pool = pool
        self.admin = admin
        self.producer = producer
        self.kafkaConsumer = kafkaConsumer
        self.relay = relay
        self.consumer = consumer
        self.repository = NotesRepository(pool: pool, topic: topic)
        self.topic = topic
        self.deadLetterTopic = deadLetterTopic
        self.bootstrapServers = bootstrapServers
    }

    /// Sets everything up, runs relay and consumer in the background while `body` runs, then
    /// shuts everything down and drops the schema.
    static func run(
        bootstrapServers: String = TestEnvironment.kafkaBootstrapServers,
        maxAttempts: Int = 3,
        _ body: (NotesHarness) async throws -> Void
    ) async throws {
        let logger = Logger(label: "notes-test")
        let schema = try await TestSchema.create("notes")
        let owner = PostgresPool(configuration: try PostgresConfiguration(url: schema.ownerURL, poolSize: 1), logger: logger)
        try await PostgresMigrator(pool: owner, migrations: PlatformMigrations.all + NotesSchema.migrations, lockName: schema.name, logger: logger).migrate()
        await owner.shutdown()

        let topic = TestEnvironment.uniqueName("notes")
        let deadLetterTopic = TestEnvironment.uniqueName("notes_dlq")
        var poolConfiguration = try PostgresConfiguration(url: schema.appURL, poolSize: 6)
        // 100 concurrent writers share 6 connections while the whole suite loads 2 cores: waiting
        // is expected here, giving up is not what these tests are about.
        poolConfiguration.checkoutTimeout = .seconds(60)
        let pool = PostgresPool(configuration: poolConfiguration, logger: logger)
        let admin = PostgresPool(configuration: try PostgresConfiguration(url: TestEnvironment.postgresAdminTestDatabaseURL, poolSize: 2), logger: logger)
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: bootstrapServers, clientID: "notes-test"), logger: logger)
        // Creating the topics first lets the consumer find them at once instead of after a metadata
        // refresh. The warm-up is a valid envelope of a type no handler wants: it is ignored.
        let warmUp = try ERPJSON.encode(
            EventEnvelope(type: try EventType(service: .crm, aggregate: "test_note", verb: "warmed"), tenantID: .random(), subject: "warm-up", data: JSONValue.null)
        )
        for warmTopic in [topic, deadLetterTopic] {
            _ = try await producer.send(KafkaOutgoingMessage(topic: warmTopic, key: nil, value: [UInt8](warmUp)))
        }
        let kafkaConsumer = try KafkaConsumer(
            configuration: .init(
                bootstrapServers: bootstrapServers, groupID: TestEnvironment.uniqueName("notes_group"), topics: [topic],
                clientID: "notes-test", commitMode: .periodic(interval: .milliseconds(500))
            ),
            logger: logger
        )
        let relay = OutboxRelay(pool: pool, producer: producer, configuration: .init(idlePollInterval: .milliseconds(20), maxBackoff: .seconds(2)), logger: logger)
        let consumer = EventConsumer(
            configuration: .init(name: "notes-test", deadLetterTopic: deadLetterTopic, maxAttempts: maxAttempts, retryBaseDelay: .milliseconds(10)),
            consumer: kafkaConsumer, producer: producer, pool: pool, handlers: [NoteCreatedHandler()], logger: logger
        )
        let harness = NotesHarness(
            schema: schema, pool: pool, admin: admin, producer: producer, kafkaConsumer: kafkaConsumer, relay: relay,
            consumer: consumer, topic: topic, deadLetterTopic: deadLetterTopic, bootstrapServers: bootstrapServers
        )
        let relayTask = Task { try await relay.run() }
        let consumerTask = Task { try await consumer.run() }
        do {
            try await body(harness)
        } catch {
            await harness.stop(relayTask: relayTask, consumerTask: consumerTask)
            throw error
        }
        await harness.stop(relayTask: relayTask, consumerTask: consumerTask)
    }

    private func stop(relayTask: Task<Void, any Error>, consumerTask: Task<Void, any Error>) async {
        relayTask.cancel()
        _ = try? await relayTask.value
        await kafkaConsumer.shutdown()
        _ = try? await consumerTask.value
        await producer.shutdown()
        await pool.shutdown()
        await admin.shutdown()
        try? await schema.drop()
    }

    /// Effect rows written by the consumer (read as superuser: all tenants).
    func effectCount() async throws -> Int {
        try await admin.query("SELECT count(*)::int8 FROM \(identifier: schema.name).note_effects").first!.decode(Int.self, at: 0)
    }

    func distinctEffectEvents() async throws -> Int {
        try await admin.query("SELECT count(DISTINCT event_id)::int8 FROM \(identifier: schema.name).note_effects").first!.decode(Int.self, at: 0)
    }

    func pendingCount() async throws -> Int {
        try await admin.query("SELECT count(*)::int8 FROM \(identifier: schema.name).outbox WHERE published_at IS NULL").first!.decode(Int.self, at: 0)
    }

    /// Forgets that rows were published, as if the relay died after Kafka acknowledged them but
    /// before it could stamp them.
    func forgetPublication() async throws {
        try await admin.execute("UPDATE \(identifier: schema.name).outbox SET published_at = NULL")
    }
}

/// Polls `condition` until it holds or `timeout` passes; tests assert on the result, so a
/// broken pipeline fails instead of hanging.
func eventually(timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}
