import ERPCrypto
import ERPKafka
import ERPPostgres
import ERPProtocol
import ERPRedis
import ERPServiceKit
import ERPTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import CRMService

/// erp-crm wired as in production against the real Postgres, Redis and Kafka of the local stack:
/// its own schema (migrated by the owner role, used by the application role so row-level
/// security applies), a Redis prefix for idempotency replays, an event consumer whose messages
/// the tests hand over directly, and tokens signed with a test key.
final class CRMHarness: Sendable {
    let schema: TestSchema
    let pool: PostgresPool
    let dependencies: CRMDependencies
    let consumer: EventConsumer
    let signer: AccessTokenSigner
    let client: any TestClientProtocol

    private init(
        schema: TestSchema, pool: PostgresPool, dependencies: CRMDependencies, consumer: EventConsumer, signer: AccessTokenSigner,
        client: any TestClientProtocol
    ) {
        self.schema = schema
        self.pool = pool
        self.dependencies = dependencies
        self.consumer = consumer
        self.signer = signer
        self.client = client
    }

    static func run(live: Bool = false, _ body: @escaping @Sendable (CRMHarness) async throws -> Void) async throws {
        let logger = Logger(label: "crm-test")
        let schema = try await TestSchema.create("crm")
        let owner = PostgresPool(configuration: try PostgresConfiguration(url: schema.ownerURL, poolSize: 1), logger: logger)
        do {
            try await PostgresMigrator(
                pool: owner, migrations: PlatformMigrations.all + CRMApplication.migrations(), lockName: schema.name, logger: logger
            ).migrate()
        } catch {
            await owner.shutdown()
            try? await schema.drop()
            throw error
        }
        await owner.shutdown()
        var configuration = CRMConfiguration(service: ServiceConfiguration(service: .crm, port: 0))
        configuration.redisKeyPrefix = TestEnvironment.uniqueName("crm")
        let pool = PostgresPool(configuration: try PostgresConfiguration(url: schema.appURL, poolSize: 6), logger: logger)
        let redis = RedisPool(configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: logger)
        let dependencies = CRMDependencies(
            configuration: configuration, pool: pool, idempotency: IdempotencyStore(redis: redis, prefix: configuration.redisKeyPrefix), logger: logger
        )
        let producer = try KafkaProducer(
            configuration: .init(bootstrapServers: TestEnvironment.kafkaBootstrapServers, clientID: "crm-test"), logger: logger
        )
        let kafkaConsumer = try KafkaConsumer(
            configuration: .init(
                bootstrapServers: TestEnvironment.kafkaBootstrapServers, groupID: TestEnvironment.uniqueName("crm"),
                topics: [TestEnvironment.uniqueName("crm-unused")], clientID: "crm-test"
            ),
            logger: logger
        )
        let consumer = EventConsumer(
            configuration: .init(name: "crm.timeline", deadLetterTopic: TestEnvironment.uniqueName("crm-dlq"), retryBaseDelay: .milliseconds(10)),
            consumer: kafkaConsumer, producer: producer, pool: pool, handlers: CRMApplication.eventHandlers(dependencies), logger: logger
        )
        let signer = AccessTokenSigner(key: .generate(), kid: "crm-test")
        let verifier = AccessTokenVerifier(keys: StaticKeyProvider(keys: [signer.kid: signer.key.publicKey]), issuer: "erp-auth", audience: "erp")
        let application = Application(router: CRMApplication.makeRouter(dependencies: dependencies, verifier: verifier))
        var failure: (any Error)?
        do {
            try await application.test(live ? .live : .router) { client in
                try await body(CRMHarness(schema: schema, pool: pool, dependencies: dependencies, consumer: consumer, signer: signer, client: client))
            }
        } catch {
            failure = error
        }
        await kafkaConsumer.shutdown()
        await producer.shutdown()
        await pool.shutdown()
        await redis.shutdown()
        try? await schema.drop()
        if let failure { throw failure }
    }
}

/// A tenant as the tests drive it: its id and tokens.
struct TestTenant: Sendable {
    let id: TenantID
    let user: UserID
    /// Every CRM permission (`crm.*.*`).
    let token: String
    /// Read-only (`crm.*.read`), what the built-in Viewer role holds in CRM.
    let viewerToken: String
}

extension CRMHarness {
    static let allPermissions: PermissionSet = ["crm.*.*"]
    static let viewerPermissions: PermissionSet = ["crm.*.read"]

    func token(tenant: TenantID, permissions: PermissionSet = allPermissions, user: UserID = .random(), roles: [String] = ["Owner"]) throws -> String {
        let now = Date()
        return try signer.sign(AccessTokenClaims(
            sub: user.description, org: tenant, roles: roles, perms: permissions, iss: "erp-auth", aud: .init("erp"),
            exp: now.addingTimeInterval(600), iat: now.addingTimeInterval(-1), jti: UUID().uuidString, kind: .user
        ))
    }

    func tenant() throws -> TestTenant {
        let tenant = TenantID.random()
        let user = UserID.random()
        return TestTenant(
            id: tenant, user: user, token: try token(tenant: tenant, user: user),
            viewerToken: try token(tenant: tenant, permissions: Self.viewerPermissions, user: .random(), roles: ["Viewer"]))
    }

    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: String? = nil, body: String? = nil, contentType: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        if let contentType { headers[.contentType] = contentType }
        headers.append(contentsOf: extra)
        let payload = json ?? body
        return try await client.execute(uri: path, method: method, headers: headers, body: payload.map { ByteBuffer(string: $0) })
    }

    /// Sends `value` as JSON.
    @discardableResult
    func send<Body: Encodable>(
        _ method: HTTPRequest.Method, _ path: String, token: String, encoding value: Body, headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        try await send(method, path, token: token, json: String(decoding: try ERPJSON.encode(value), as: UTF8.self), headers: extra)
    }

    /// POSTs `json` and expects 201, returning the decoded body.
    func create<T: Decodable>(_ path: String, _ tenant: TestTenant, json: String, as type: T.Type, sourceLocation: SourceLocation = #_sourceLocation) async throws -> T {
        let response = try await send(.post, path, token: tenant.token, json: json)
        #expect(response.status == .created, "POST \(path): \(String(buffer: response.body))", sourceLocation: sourceLocation)
        return try response.decoded(T.self)
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

    /// What the built-in User role holds in CRM: reads, creates, updates, logs and exports, but
    /// gives nothing to other owners (no `assign`).
    static let userPermissions: PermissionSet = ["crm.*.read", "crm.*.create", "crm.*.update", "crm.activity.log", "crm.data.export"]

    /// An auth user lifecycle event about `user` (`erp.auth.user.created` unless told), at `time`.
    func userEvent(
        _ tenant: TenantID, _ user: UserID, _ type: EventType = EventType.Auth.userCreated, name: String = "Member", status: String = "active",
        at time: Date = Date()
    ) -> EventEnvelope<UserLifecycleEvent> {
        EventEnvelope(
            type: type, tenantID: tenant, aggregateID: user,
            data: UserLifecycleEvent(userId: user, email: "\(user.description.prefix(8))@example.com", name: name, status: status, roles: ["User"]),
            time: time)
    }

    /// Makes `user` an active member of `tenant` the way production learns of one: auth's
    /// `erp.auth.user.created` delivered through the service's consumer.
    @discardableResult
    func member(_ tenant: TenantID, _ user: UserID = .random(), name: String = "Member") async throws -> UserID {
        let outcome = try await deliver(userEvent(tenant, user, name: name))
        try #require(outcome == .handled)
        return user
    }

    /// Event types written to the outbox for `tenant`, oldest first.
    func eventTypes(_ tenant: TenantID) async throws -> [String] {
        try await pool.query("SELECT event_type FROM outbox WHERE tenant_id = \(tenant.uuid) ORDER BY id").map { try $0.decode(String.self, at: 0) }
    }

    /// The payloads of `type` events of `tenant`, oldest first.
    func events<Payload: Codable & Sendable>(_ type: EventType, _ tenant: TenantID, as payload: Payload.Type) async throws -> [EventEnvelope<Payload>] {
        try await pool.query("SELECT payload FROM outbox WHERE tenant_id = \(tenant.uuid) AND event_type = \(type.rawValue) ORDER BY id").map {
            try ERPJSON.decode(EventEnvelope<Payload>.self, from: Data(try $0.decode([UInt8].self, at: 0)))
        }
    }

    /// Runs `sql` as the schema's owner (for fault injection and catalogue checks).
    func asOwner(_ sql: String) async throws {
        let owner = PostgresPool(configuration: try PostgresConfiguration(url: schema.ownerURL, poolSize: 1), logger: Logger(label: "crm-owner"))
        do {
            try await owner.withConnection { try await $0.executeScript(sql) }
        } catch {
            await owner.shutdown()
            throw error
        }
        await owner.shutdown()
    }
}

extension TestResponse {
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        try ERPJSON.decode(type, from: Data(buffer: body))
    }

    var problem: ProblemDetails? {
        try? ERPJSON.decode(ProblemDetails.self, from: Data(buffer: body))
    }

    /// The problem `code` of an error answer.
    var problemCode: String? { problem?.code.rawValue }

    var text: String { String(buffer: body) }

    var etag: String? { headers[.eTag] }
}

extension HTTPFields {
    static func ifMatch(_ etag: String?) -> HTTPFields {
        guard let etag else { return [:] }
        return [.ifMatch: etag]
    }
}
