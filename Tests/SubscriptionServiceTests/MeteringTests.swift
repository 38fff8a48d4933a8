import ERPKafka
import ERPProtocol
import ERPServiceKit
import ERPTestSupport
import Foundation
import Logging
import Testing

@testable import SubscriptionService

@Suite("Subscription: usage metering")
struct MeteringTests {
    func aiQuery(_ harness: SubscriptionHarness, tenant: TenantID, user: UserID?, tokens: Int64) -> EventEnvelope<AIQueryCompleted> {
        EventEnvelope(
            type: EventType.AI.queryCompleted, tenantID: tenant, subject: UUID().uuidString,
            data: AIQueryCompleted(queryId: UUID(), userId: user, model: "local", promptTokens: tokens, completionTokens: 1),
            time: harness.clock.now()
        )
    }

    func storage(_ harness: SubscriptionHarness, tenant: TenantID, type: EventType, total: Int64) -> EventEnvelope<FileStorageChanged> {
        EventEnvelope(
            type: type, tenantID: tenant, subject: UUID().uuidString,
            data: FileStorageChanged(fileId: .random(), name: "f.pdf", sizeBytes: 10, organizationStorageBytes: total), time: harness.clock.now()
        )
    }

    @Test("the same usage event delivered twice counts once")
    func redeliveryCountsOnce() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp()
            let event = aiQuery(harness, tenant: organization.tenant, user: .random(), tokens: 10)
            #expect(try await harness.deliver(event) == .handled)
            #expect(try await harness.deliver(event) == .duplicate)
            // Even past the inbox (another consumer name), the usage table's key holds.
            try await harness.pool.withTenantTransaction(tenant: organization.tenant.uuid) { connection in
                let again = try await UsageRepository(connection).record(
                    [UsageRecord(eventID: event.id, metric: .aiQueries, value: 1, uniqueKey: nil, occurredAt: event.time)], tenant: organization.tenant
                )
                #expect(again == 0)
            }
            #expect(try await harness.entitlements(organization).usage(of: .aiQueries)?.usage == 1)
        }
    }

    @Test("COUNT, SUM, MAX, UNIQUE COUNT and LATEST per billing period; period metrics reset, standing ones carry over")
    func aggregations() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp()
            let ann = UserID.random()
            let bob = UserID.random()
            for (user, tokens) in [(ann, 100), (ann, 50), (bob, 7)] as [(UserID?, Int64)] + [(nil, 3)] {
                try await harness.deliver(aiQuery(harness, tenant: organization.tenant, user: user, tokens: tokens))
            }
            for (type, total) in [(EventType.File.fileUploaded, 500), (EventType.File.fileUploaded, 900), (EventType.File.fileDeleted, 300)] {
                try await harness.deliver(storage(harness, tenant: organization.tenant, type: type, total: Int64(total)))
                harness.clock.set(harness.clock.now().addingTimeInterval(1))
            }
            try await harness.addUsers(2, to: organization.tenant)
            try await harness.deliver(harness.userEvent(EventType.Auth.userDeactivated, tenant: organization.tenant))

            let usage = try await harness.send(.get, "/v1/usage", token: organization.ownerToken).decoded(UsageController.UsageResponse.self)
            func value(_ metric: String) -> Int64? { usage.metrics.first { $0.metric.rawValue == metric }?.usage }
            #expect(value("ai_queries") == 4)                   // COUNT
            let tokens: Int64 = 100 + 50 + 7 + 3 + 4  // prompt + one completion token each
            #expect(value("ai_tokens") == tokens)               // SUM
            #expect(value("ai_users") == 2)                     // UNIQUE COUNT
            #expect(value("storage_bytes") == 300)              // LATEST
            #expect(value("storage_peak_bytes") == 900)         // MAX
            #expect(value("users") == 2)                        // SUM of +1/−1: owner + 2 − 1
            #expect(usage.metrics.first { $0.metric == .aiQueries }?.remaining == 96)

            // Next period: per-period metrics start again, standing quantities remain.
            try await harness.advance(days: 31)
            let next = try await harness.send(.get, "/v1/usage", token: organization.ownerToken).decoded(UsageController.UsageResponse.self)
            func nextValue(_ metric: String) -> Int64? { next.metrics.first { $0.metric.rawValue == metric }?.usage }
            #expect(nextValue("ai_queries") == 0)
            #expect(nextValue("storage_peak_bytes") == 0)
            #expect(nextValue("storage_bytes") == 300)
            #expect(nextValue("users") == 2)
        }
    }

    @Test("overage beyond a plan's allowance is billed on the next invoice")
    func overageIsBilled() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp()
            #expect(try await harness.addCard(organization, "pm_card_visa").status == .created)
            #expect(try await harness.send(.post, "/v1/subscription/change", token: organization.ownerToken, json: #"{"planCode":"basic"}"#).status == .ok)
            // Basic allows 1,000 AI queries and bills $0.02 for each one beyond.
            try await harness.pool.withTenantTransaction(tenant: organization.tenant.uuid) { connection in
                let records = (0..<1003).map { _ in
                    UsageRecord(eventID: .random(), metric: .aiQueries, value: 1, uniqueKey: nil, occurredAt: SubscriptionHarness.start.addingTimeInterval(60))
                }
                try await UsageRepository(connection).record(records, tenant: organization.tenant)
            }
            try await harness.advance(days: 31)
            let invoice = try #require(try await harness.invoices(organization).first)
            let lines = try #require(try await harness.send(.get, "/v1/invoices/\(invoice.id)", token: organization.ownerToken).decoded(InvoiceResponse.self).lines)
            let overage = try #require(lines.first { $0.kind == .overage })
            #expect(overage.quantity == 3)
            #expect(overage.amount.amountMinor == 6)
            #expect(overage.metric == "ai_queries")
        }
    }

    @Test("end to end over Kafka: organization.created on a real topic starts the subscription")
    func overKafka() async throws {
        try await SubscriptionHarness.run { harness in
            let logger = Logger(label: "subscription-kafka-test")
            let topic = TestEnvironment.uniqueName("erp.auth.events")
            let producer = try KafkaProducer(
                configuration: .init(bootstrapServers: TestEnvironment.kafkaBootstrapServers, clientID: "subscription-kafka-test"), logger: logger
            )
            let tenant = TenantID.random()
            let event = EventEnvelope(
                type: EventType.Auth.organizationCreated, tenantID: tenant, subject: tenant.description,
                data: OrganizationCreated(organizationId: tenant, name: "Kafka Org", slug: "kafka-org", ownerUserId: .random(),
                                          ownerEmail: "k@example.com", ownerName: "K", requestedPlan: "pro", locale: "en")
            )
            for _ in 0..<2 {  // delivered twice, as at-least-once allows
                _ = try await producer.send(KafkaOutgoingMessage(topic: topic, key: Array(event.key.rawValue.utf8), value: [UInt8](try ERPJSON.encode(event))))
            }
            await producer.shutdown()
            let kafka = try KafkaConsumer(
                configuration: .init(bootstrapServers: TestEnvironment.kafkaBootstrapServers, groupID: TestEnvironment.uniqueName("sub-e2e"),
                                     topics: [topic], clientID: "subscription-kafka-test", commitMode: .periodic(interval: .seconds(1))),
                logger: logger
            )
            let consumerProducer = try KafkaProducer(
                configuration: .init(bootstrapServers: TestEnvironment.kafkaBootstrapServers, clientID: "subscription-kafka-test-dlq"), logger: logger
            )
            let consumer = EventConsumer(
                configuration: .init(name: "subscription.metering", deadLetterTopic: TestEnvironment.uniqueName("sub-dlq")),
                consumer: kafka, producer: consumerProducer, pool: harness.pool,
                handlers: SubscriptionApplication.eventHandlers(harness.dependencies), logger: logger
            )
            let running = Task { try await consumer.run() }
            let deadline = ContinuousClock.now + .seconds(60)
            while consumer.counts.handled + consumer.counts.duplicate < 2, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            running.cancel()
            await kafka.shutdown()
            await consumerProducer.shutdown()
            #expect(consumer.counts.handled == 1)
            #expect(consumer.counts.duplicate == 1)
            let organization = TestOrganization(tenant: tenant, ownerToken: try harness.token(tenant: tenant))
            let subscription = try await harness.subscription(organization)
            #expect(subscription.plan.code == "pro")
            #expect(subscription.status == .trialing)
        }
    }
}
