import ERPKafka
import ERPProtocol
import ERPServiceKit
import ERPTestSupport
import Foundation
import Testing

@testable import NotificationService

/// An organization as the tests drive it.
struct TestOrganization: Sendable {
    let tenant: TenantID
    let owner: UserID
    let ownerEmail: String
}

extension NotificationHarness {
    /// Delivers an event to the service's consumer as Kafka would (inbox, retries, handlers).
    @discardableResult
    func deliver<Payload: Codable & Sendable>(_ event: EventEnvelope<Payload>) async throws -> EventConsumer.Outcome {
        let message = KafkaMessage(
            topic: event.topic, partition: 0, offset: Int64.random(in: 0..<Int64.max), key: Array(event.key.rawValue.utf8),
            value: [UInt8](try ERPJSON.encode(event))
        )
        return try await consumer.process(message)
    }

    /// Runs the scheduler's pass at the clock's now.
    @discardableResult
    func sweep() async throws -> Int {
        try await DeliveryScheduler(dependencies: dependencies).runDue()
    }

    /// A unique mailbox per test, so tests sharing the sink's Maildir find only their own mail.
    static func uniqueEmail(_ prefix: String = "user") -> String {
        "\(TestEnvironment.uniqueName(prefix))@example.com"
    }

    func organizationCreated(name: String = "Ünïcode GmbH", ownerName: String = "Zoë Owner") -> (TestOrganization, EventEnvelope<OrganizationCreated>) {
        let tenant = TenantID.random()
        let owner = UserID.random()
        let email = Self.uniqueEmail("owner")
        let event = EventEnvelope(
            type: EventType.Auth.organizationCreated, tenantID: tenant, subject: tenant.description,
            data: OrganizationCreated(organizationId: tenant, name: name, slug: "org-\(tenant.description.prefix(8))", ownerUserId: owner,
                                      ownerEmail: email, ownerName: ownerName, requestedPlan: "free", locale: "en")
        )
        return (TestOrganization(tenant: tenant, owner: owner, ownerEmail: email), event)
    }

    /// Registers an organization through auth's event and sends what it queued.
    func signUp() async throws -> TestOrganization {
        let (organization, event) = organizationCreated()
        #expect(try await deliver(event) == .handled)
        try await sweep()
        return organization
    }

    func deliveries(_ tenant: TenantID) async throws -> [Delivery] {
        try await dependencies.inTenant(tenant) { try await DeliveryRepository($0).list(limit: 200, after: nil, status: nil, channel: nil, eventType: nil) }
    }

    /// Event types written to the outbox for `tenant`, oldest first.
    func outboxTypes(_ tenant: TenantID) async throws -> [String] {
        try await pool.query("SELECT event_type FROM outbox WHERE tenant_id = \(tenant.uuid) ORDER BY id").map { try $0.decode(String.self, at: 0) }
    }
}
