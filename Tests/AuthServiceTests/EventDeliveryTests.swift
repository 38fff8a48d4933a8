import ERPKafka
import ERPProtocol
import ERPServiceKit
import ERPTestSupport
import Foundation
import Logging
import Testing

@testable import AuthService

@Suite("Auth: events reach Kafka")
struct EventDeliveryTests {
    @Test("sign-up's events leave through the outbox relay onto erp.auth.events, keyed by tenant, in order")
    func signUpEventsOnKafka() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let logger = Logger(label: "auth-event-test")
            let producer = try KafkaProducer(
                configuration: .init(bootstrapServers: TestEnvironment.kafkaBootstrapServers, clientID: "auth-event-test"), logger: logger
            )
            let relay = OutboxRelay(pool: harness.pool, producer: producer, logger: logger)
            // The relay lock is database-wide and other suites' relays share the test database:
            // a batch of 0 can mean "someone else holds the lock", so wait for our rows instead.
            let relayDeadline = ContinuousClock.now + .seconds(30)
            while try await harness.pendingOutbox(tenant: registered.tenant) > 0, ContinuousClock.now < relayDeadline {
                if try await relay.relayBatch() == 0 { try await Task.sleep(for: .milliseconds(50)) }
            }
            await producer.shutdown()
            #expect(try await harness.pendingOutbox(tenant: registered.tenant) == 0)

            let topic = EventTopic.events(for: EventType.Auth.organizationCreated)
            #expect(topic == "erp.auth.events")
            let reader = try KafkaConsumer(
                configuration: .init(
                    bootstrapServers: TestEnvironment.kafkaBootstrapServers, groupID: TestEnvironment.uniqueName("auth_events"),
                    topics: [topic], clientID: "auth-event-reader"
                ),
                logger: logger
            )
            // The topic holds other tests' events too; keep ours, until all three arrived.
            var ours: [(key: String?, header: EventEnvelopeHeader, value: [UInt8])] = []
            let wanted: Set<EventType> = [EventType.Auth.organizationCreated, EventType.Auth.userCreated, EventType.Auth.emailVerificationRequested]
            // A watchdog ends the stream if the events never come, so the test fails instead of hanging.
            let watchdog = Task {
                try await Task.sleep(for: .seconds(60))
                await reader.shutdown()
            }
            for try await message in reader.messages {
                if let header = try? ERPJSON.decode(EventEnvelopeHeader.self, from: Data(message.value)), header.tenantID == registered.tenant {
                    ours.append((message.key.map { String(decoding: $0, as: UTF8.self) }, header, message.value))
                }
                if Set(ours.map(\.header.type)).isSuperset(of: wanted) { break }
            }
            watchdog.cancel()
            await reader.shutdown()

            #expect(Set(ours.map(\.header.type)).isSuperset(of: wanted))
            let created = try #require(ours.first { $0.header.type == EventType.Auth.organizationCreated })
            #expect(created.key == EventKey(tenantID: registered.tenant, aggregateID: registered.tenant.description).rawValue)
            let event = try ERPJSON.decode(EventEnvelope<OrganizationCreated>.self, from: Data(created.value))
            #expect(event.data.ownerEmail == registered.email)
            #expect(event.source == "/erp/auth")
            // Per-aggregate order survives the trip: the owner is created before their verification mail is asked for.
            let types = ours.map(\.header.type)
            #expect(types.firstIndex(of: EventType.Auth.userCreated)! < types.firstIndex(of: EventType.Auth.emailVerificationRequested)!)
        }
    }
}
