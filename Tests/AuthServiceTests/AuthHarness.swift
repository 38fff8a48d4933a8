import ERPCrypto
import ERPPostgres
import ERPProtocol
import ERPRedis
import ERPServiceKit
import ERPTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

@testable import AuthService

/// erp-auth wired as in production against the real Postgres and Redis of the local stack:
/// its own schema (migrations applied by the owner role, requests served by the application
/// role under row-level security), its own Redis key prefix, and the HTTP API driven through
/// Hummingbird's router test client. Password hashing uses scrypt ln=10 so suites stay fast;
/// the production cost is measured in `make bench`.
final class AuthHarness: Sendable {
    let schema: TestSchema
    let pool: PostgresPool
    let redis: RedisPool
    let dependencies: AuthDependencies

    private init(schema: TestSchema, pool: PostgresPool, redis: RedisPool, dependencies: AuthDependencies) {
        self.schema = schema
        self.pool = pool
        self.redis = redis
        self.dependencies = dependencies
    }

    static func run(
        configure: (inout AuthConfiguration) -> Void = { _ in },
        entitlements: (any EntitlementSource)? = nil,
        now: (@Sendable () -> Date)? = nil,
        live: Bool = false,
        _ body: @escaping @Sendable (AuthHarness, AuthClient) async throws -> Void
    ) async throws {
        let logger = Logger(label: "auth-test")
        let schema = try await TestSchema.create("auth")
        let owner = PostgresPool(configuration: try PostgresConfiguration(url: schema.ownerURL, poolSize: 1), logger: logger)
        do {
            try await PostgresMigrator(pool: owner, migrations: PlatformMigrations.all + AuthApplication.migrations(), lockName: schema.name, logger: logger).migrate()
        } catch {
            await owner.shutdown()
            throw error
        }
        await owner.shutdown()
        var configuration = AuthConfiguration(
            service: ServiceConfiguration(service: .auth, port: 0), keyEncryptionKey: SecureRandom.bytes(count: 32)
        )
        configuration.passwordHashLogN = 10
        configuration.redisKeyPrefix = TestEnvironment.uniqueName("auth")
        configure(&configuration)
        let pool = PostgresPool(configuration: try PostgresConfiguration(url: schema.appURL, poolSize: 6), logger: logger)
        let redis = RedisPool(configuration: try RedisConfiguration(url: TestEnvironment.redisURL), logger: logger)
        var dependencies = try AuthDependencies(configuration: configuration, pool: pool, redis: redis, entitlements: entitlements, logger: logger)
        if let now { dependencies.now = now }
        let harness = AuthHarness(schema: schema, pool: pool, redis: redis, dependencies: dependencies)
        do {
            try await dependencies.keys.prepare()
            let application = Application(router: AuthApplication.makeRouter(dependencies: dependencies))
            // `live` serves on a real loopback port (client.port) for callers that need a URL.
            try await application.test(live ? .live : .router) { client in
                try await body(harness, AuthClient(client: client))
            }
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    private func stop() async {
        dependencies.hashing.shutdown()
        await pool.shutdown()
        await redis.shutdown()
        try? await schema.drop()
    }

    /// The events of `type` written to the outbox for `tenant`, oldest first.
    func events<Payload: Codable & Sendable>(_ type: EventType, tenant: TenantID, as payload: Payload.Type) async throws -> [EventEnvelope<Payload>] {
        try await pool.query(
            "SELECT payload FROM outbox WHERE event_type = \(type.rawValue) AND tenant_id = \(tenant.uuid) ORDER BY id"
        ).map { try ERPJSON.decode(EventEnvelope<Payload>.self, from: Data(try $0.decode([UInt8].self, at: 0))) }
    }

    /// Outbox rows of `tenant` not yet published.
    func pendingOutbox(tenant: TenantID) async throws -> Int {
        try await pool.query("SELECT count(*)::int8 FROM outbox WHERE tenant_id = \(tenant.uuid) AND published_at IS NULL").first!.decode(Int.self, at: 0)
    }

    /// Rows of a tenant table, counted inside the tenant's scope.
    func count(_ table: String, tenant: TenantID) async throws -> Int {
        try await pool.withTenantTransaction(tenant: tenant.uuid) { connection in
            try await connection.query("SELECT count(*)::int8 FROM \(identifier: table)").first!.decode(Int.self, at: 0)
        }
    }
}
