import ERPPostgres
import ERPProtocol
import ERPRedis
import ERPServiceKit
import Foundation
import Logging

/// What the routes, consumers and scheduler of erp-subscription work with.
struct SubscriptionDependencies: Sendable {
    let configuration: SubscriptionConfiguration
    let pool: PostgresPool
    let redis: RedisPool
    let cache: EntitlementCache
    let provider: (any PaymentProvider)?
    let idempotency: IdempotencyStore
    let clock: any BillingClock
    let logger: Logger

    init(
        configuration: SubscriptionConfiguration, pool: PostgresPool, redis: RedisPool, provider: (any PaymentProvider)?,
        clock: any BillingClock = SystemBillingClock(), logger: Logger
    ) {
        self.configuration = configuration
        self.pool = pool
        self.redis = redis
        self.provider = provider
        self.clock = clock
        self.logger = logger
        cache = EntitlementCache(redis: redis, prefix: configuration.redisKeyPrefix, ttlSeconds: configuration.entitlementsTTL, logger: logger)
        idempotency = IdempotencyStore(redis: redis, prefix: configuration.redisKeyPrefix)
    }

    var collector: PaymentCollector { PaymentCollector(dependencies: self) }

    /// Runs `body` with the lifecycle of `tenant` in one transaction, then invalidates the
    /// tenant's cached entitlements (after the commit, so no reader can cache the old state).
    func withLifecycle<T: Sendable>(
        _ tenant: TenantID, actor: String, trace: TraceContext? = nil, _ body: (SubscriptionLifecycle) async throws -> T
    ) async throws -> T {
        let now = clock.now()
        let dunning = configuration.dunning
        let result = try await pool.withTenantTransaction(tenant: tenant.uuid) { connection in
            try await body(SubscriptionLifecycle(connection: connection, tenant: tenant, now: now, actor: actor, dunning: dunning, trace: trace))
        }
        await cache.invalidate(tenant)
        return result
    }

    /// Read-only work in `tenant` (no cache invalidation).
    func reading<T: Sendable>(_ tenant: TenantID, _ body: (SubscriptionLifecycle) async throws -> T) async throws -> T {
        let now = clock.now()
        let dunning = configuration.dunning
        return try await pool.withTenantTransaction(tenant: tenant.uuid) { connection in
            try await body(SubscriptionLifecycle(connection: connection, tenant: tenant, now: now, actor: "reader", dunning: dunning, trace: nil))
        }
    }

    /// The entitlements of `tenant`, from the cache when present.
    func entitlements(of tenant: TenantID) async throws -> OrganizationEntitlements {
        let (cached, generation) = await cache.lookup(tenant)
        if let cached { return cached }
        let fresh = try await reading(tenant) { try await $0.entitlements() }
        await cache.store(fresh, generation: generation)
        return fresh
    }
}
