import ERPKafka
import ERPProtocol
import ERPServiceKit
import ERPTestSupport
import Foundation
import Logging
import Testing

@Suite("Outbox, relay and inbox end to end")
struct OutboxTests {
    @Test("N writes in several tenants produce exactly N handled events")
    func exactlyOnce() async throws {
        try await NotesHarness.run { harness in
            let tenants = (0..<4).map { _ in TenantID.random() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<100 {
                    group.addTask { try await harness.repository.create(tenant: tenants[index % 4], title: "note \(index)") }
                }
                try await group.waitForAll()
            }
            #expect(try await eventually { try await harness.effectCount() >= 100 })
            #expect(try await harness.effectCount() == 100)
            #expect(try await harness.distinctEffectEvents() == 100)
            #expect(try await harness.pendingCount() == 0)
            #expect(harness.consumer.counts.handled == 100)
        }
    }

    @Test("a failed transaction leaves neither the row nor its event")
    func rollbackDropsEvent() async throws {
        try await NotesHarness.run { harness in
            struct Abort: Error {}
            let tenant = TenantID.random()
            await #expect(throws: Abort.self) {
                try await harness.pool.withTenantTransaction(tenant: tenant.uuid) { connection in
                    let event = EventEnvelope(type: NoteCreated.type, tenantID: tenant, subject: "x", data: NoteCreated(noteID: UUID(), title: "never"))
                    try await Outbox.enqueue(event, topic: harness.topic, on: connection)
                    throw Abort()
                }
            }
            try await harness.repository.create(tenant: tenant, title: "kept")
            #expect(try await eventually { try await harness.effectCount() == 1 })
            #expect(try await harness.pendingCount() == 0)
            let outboxRows = try await harness.admin.query("SELECT count(*)::int8 FROM \(identifier: harness.schema.name).outbox").first!.decode(Int.self, at: 0)
            #expect(outboxRows == 1)
        }
    }

    @Test("a relay that dies after publishing but before marking causes no duplicate effect")
    func republishIsDeduplicated() async throws {
        try await NotesHarness.run { harness in
            let tenant = TenantID.random()
            for index in 0..<20 {
                try await harness.repository.create(tenant: tenant, title: "note \(index)")
            }
            #expect(try await eventually { try await harness.effectCount() == 20 })
            try await harness.forgetPublication()
            // The relay publishes all 20 again; the consumer must see them and change nothing.
            #expect(try await eventually { harness.consumer.counts.duplicate >= 20 })
            #expect(try await harness.pendingCount() == 0)
            #expect(try await harness.effectCount() == 20)
        }
    }

    @Test("a handler that always fails sends the event to the dead-letter topic and the consumer moves on")
    func deadLetter() async throws {
        try await NotesHarness.run(maxAttempts: 3) { harness in
            let tenant = TenantID.random()
            let poisonID = try await harness.repository.create(tenant: tenant, title: "poison")
            try await harness.repository.create(tenant: tenant, title: "healthy")
            #expect(try await eventually { try await harness.effectCount() == 1 && harness.consumer.counts.deadLettered == 1 })

            let reader = try KafkaConsumer(
                configuration: .init(
                    bootstrapServers: harness.bootstrapServers, groupID: TestEnvironment.uniqueName("dlq_reader"),
                    topics: [harness.deadLetterTopic], clientID: "dlq-reader"
                ),
                logger: Logger(label: "dlq-reader")
            )
            var deadLettered: KafkaMessage?
            for try await message in reader.messages {
                let header = try? ERPJSON.decode(EventEnvelopeHeader.self, from: Data(message.value))
                if header?.type == NoteCreated.type {
                    deadLettered = message
                    break
                }
            }
            await reader.shutdown()
            let message = try #require(deadLettered)
            let event = try ERPJSON.decode(EventEnvelope<NoteCreated>.self, from: Data(message.value))
            #expect(event.data.noteID == poisonID)
            #expect(message.header("erp-dlq-attempts").map { String(decoding: $0, as: UTF8.self) } == "3")
            #expect(message.header("erp-dlq-original-topic").map { String(decoding: $0, as: UTF8.self) } == harness.topic)
            #expect(message.header("erp-dlq-error") != nil)
            #expect(message.header("traceparent") != nil)
        }
    }

    @Test("while the broker is unreachable rows stay pending, and all arrive once it is back")
    func brokerOutage() async throws {
        let cluster = try KafkaMockCluster(brokerCount: 1)
        defer { cluster.shutdown() }
        try await NotesHarness.run(bootstrapServers: cluster.bootstrapServers) { harness in
            let tenant = TenantID.random()
            for index in 0..<5 {
                try await harness.repository.create(tenant: tenant, title: "before \(index)")
            }
            #expect(try await eventually { try await harness.effectCount() == 5 })

            try cluster.setBrokerDown(1)
            for index in 0..<5 {
                try await harness.repository.create(tenant: tenant, title: "during \(index)")
            }
            try await Task.sleep(for: .seconds(2))
            #expect(try await harness.pendingCount() == 5)
            #expect(try await harness.effectCount() == 5)

            try cluster.setBrokerUp(1)
            #expect(try await eventually { try await harness.effectCount() == 10 })
            #expect(try await harness.pendingCount() == 0)
            #expect(try await harness.distinctEffectEvents() == 10)
        }
    }
}
