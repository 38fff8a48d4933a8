import ERPCrypto
import ERPKafka
import ERPProtocol
import ERPServiceKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SubscriptionService

/// An organization as the tests drive it: its id and an owner's token.
struct TestOrganization: Sendable {
    let tenant: TenantID
    let ownerToken: String
}

extension SubscriptionHarness {
    /// Every subscription permission (what an Owner holds).
    static let ownerPermissions: PermissionSet = [
        "subscription.plan.read", "subscription.plan.manage", "subscription.subscription.read", "subscription.usage.read",
        "subscription.entitlement.read", "subscription.invoice.read", "subscription.payment_method.read", "subscription.payment_method.manage",
    ]

    /// A user token of `tenant` (real wall-clock expiry, independent of the billing clock).
    func token(tenant: TenantID, permissions: PermissionSet = ownerPermissions, user: UserID = .random()) throws -> String {
        let now = Date()
        return try signer.sign(AccessTokenClaims(
            sub: user.description, org: tenant, roles: ["Owner"], perms: permissions, iss: "erp-auth", aud: .init("erp"),
            exp: now.addingTimeInterval(600), iat: now.addingTimeInterval(-1), jti: UUID().uuidString, kind: .user
        ))
    }

    /// A platform service's own token (no organization), like the gateway's.
    func platformToken(client: String = "svc_gateway") throws -> String {
        let now = Date()
        return try signer.sign(AccessTokenClaims(
            sub: client, org: .platform, roles: [], perms: [], iss: "erp-auth", aud: .init("erp"),
            exp: now.addingTimeInterval(600), iat: now.addingTimeInterval(-1), jti: UUID().uuidString, kind: .service
        ))
    }

    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        headers.append(contentsOf: extra)
        return try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// Delivers an event to the service's consumer as Kafka would (inbox, retries, handlers).
    @discardableResult
    func deliver<Payload: Codable & Sendable>(_ event: EventEnvelope<Payload>) async throws -> EventConsumer.Outcome {
        let message = KafkaMessage(
            topic: event.topic, partition: 0, offset: Int64.random(in: 0..<Int64.max), key: Array(event.key.rawValue.utf8),
            value: [UInt8](try ERPJSON.encode(event))
        )
        return try await consumer.process(message)
    }

    /// A new organization, signed up through `erp.auth.organization.created` with `plan`.
    func signUp(plan: String = "free", tenant: TenantID = .random()) async throws -> TestOrganization {
        let owner = UserID.random()
        let event = EventEnvelope(
            type: EventType.Auth.organizationCreated, tenantID: tenant, subject: tenant.description,
            data: OrganizationCreated(
                organizationId: tenant, name: "Org \(tenant.description.prefix(6))", slug: "org-\(tenant.description.prefix(8))",
                ownerUserId: owner, ownerEmail: "owner@example.com", ownerName: "Olivia Owner", requestedPlan: plan, locale: "en"
            ),
            time: clock.now()
        )
        #expect(try await deliver(event) == .handled)
        try await deliver(userEvent(EventType.Auth.userCreated, tenant: tenant, user: owner))
        return TestOrganization(tenant: tenant, ownerToken: try token(tenant: tenant, user: owner))
    }

    func userEvent(_ type: EventType, tenant: TenantID, user: UserID = .random()) -> EventEnvelope<UserLifecycleEvent> {
        EventEnvelope(
            type: type, tenantID: tenant, subject: user.description,
            data: UserLifecycleEvent(userId: user, email: "\(user.description.prefix(8))@example.com", name: "U", status: "active", roles: ["User"]),
            time: clock.now()
        )
    }

    /// Adds `count` active users through `user.created` events.
    func addUsers(_ count: Int, to tenant: TenantID) async throws {
        for _ in 0..<count { try await deliver(userEvent(EventType.Auth.userCreated, tenant: tenant)) }
    }

    /// Runs the billing scheduler's sweep at the clock's now.
    func sweep() async throws {
        try await BillingScheduler(dependencies: dependencies, interval: .seconds(1)).runDue()
    }

    /// Moves the clock by `seconds` and sweeps.
    func advance(seconds: TimeInterval) async throws {
        clock.set(clock.now().addingTimeInterval(seconds))
        try await sweep()
    }

    /// Moves the clock by `days` and sweeps.
    func advance(days: Int) async throws {
        clock.advance(days: days)
        try await sweep()
    }

    func subscription(_ organization: TestOrganization) async throws -> SubscriptionResponse {
        let response = try await send(.get, "/v1/subscription", token: organization.ownerToken)
        #expect(response.status == .ok, "GET /v1/subscription: \(String(buffer: response.body))")
        return try response.decoded(SubscriptionResponse.self)
    }

    func entitlements(_ organization: TestOrganization) async throws -> OrganizationEntitlements {
        let response = try await send(.get, "/v1/entitlements", token: organization.ownerToken)
        #expect(response.status == .ok, "GET /v1/entitlements: \(String(buffer: response.body))")
        return try response.decoded(OrganizationEntitlements.self)
    }

    /// Adds a Stripe test payment method (the first becomes the default).
    func addCard(_ organization: TestOrganization, _ reference: String) async throws -> TestResponse {
        try await send(.post, "/v1/payment-methods", token: organization.ownerToken, json: #"{"providerReference":"\#(reference)"}"#)
    }

    /// A Basic organization whose card is declined, 14 days on: its trial ended, the first charge
    /// failed and it is past due with one invoice open (one failed attempt).
    func pastDueOnDeclinedCard() async throws -> (TestOrganization, InvoiceResponse) {
        let organization = try await signUp(plan: "basic")
        #expect(try await addCard(organization, "pm_card_chargeDeclined").status == .created)
        try await advance(days: 14)
        #expect(try await subscription(organization).status == .pastDue)
        let invoice = try #require(try await invoices(organization).first)
        #expect(invoice.attemptCount == 1)
        return (organization, invoice)
    }

    func invoices(_ organization: TestOrganization) async throws -> [InvoiceResponse] {
        let response = try await send(.get, "/v1/invoices?limit=200", token: organization.ownerToken)
        #expect(response.status == .ok)
        return try response.decoded(Page<InvoiceResponse>.self).items
    }

    /// Event types written to the outbox for `tenant`, oldest first.
    func eventTypes(_ tenant: TenantID) async throws -> [String] {
        try await pool.query("SELECT event_type FROM outbox WHERE tenant_id = \(tenant.uuid) ORDER BY id").map { try $0.decode(String.self, at: 0) }
    }
}

extension TestResponse {
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        try ERPJSON.decode(type, from: Data(buffer: body))
    }

    /// The problem `code` of an error answer.
    var problemCode: String? {
        (try? ERPJSON.decode(ProblemDetails.self, from: Data(buffer: body)))?.code.rawValue
    }
}
