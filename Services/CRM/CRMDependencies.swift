import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation
import Logging

/// What the routes and consumers of erp-crm work with.
struct CRMDependencies: Sendable {
    let configuration: CRMConfiguration
    let pool: PostgresPool
    let idempotency: IdempotencyStore?
    let scorer: any LeadScorer
    /// Customer value prediction (`GET /v1/analytics/customers`); erp-ai may provide another.
    let valuePredictor: any CustomerValuePredictor
    let logger: Logger

    init(
        configuration: CRMConfiguration, pool: PostgresPool, idempotency: IdempotencyStore?, scorer: any LeadScorer = RuleBasedLeadScorer(),
        valuePredictor: any CustomerValuePredictor = HeuristicCustomerValuePredictor(), logger: Logger
    ) {
        self.configuration = configuration
        self.pool = pool
        self.idempotency = idempotency
        self.scorer = scorer
        self.valuePredictor = valuePredictor
        self.logger = logger
    }

    /// Runs `body` in one transaction of the caller's tenant (row-level security applies); every
    /// change and every event it records commit together or not at all.
    func write<T: Sendable>(_ context: ERPRequestContext, _ body: (CRMTransaction) async throws -> T) async throws -> T {
        let identity = try context.requireIdentity()
        return try await write(tenant: identity.tenantID, actor: identity.subject, permissions: identity.permissions, trace: context.trace, body)
    }

    /// The same for work that is not a request (event handlers, seeding).
    func write<T: Sendable>(
        tenant: TenantID, actor: String, permissions: PermissionSet = [], trace: TraceContext?, _ body: (CRMTransaction) async throws -> T
    ) async throws -> T {
        let now = Date()
        let scorer = scorer
        return try await pool.withTenantTransaction(tenant: tenant.uuid) { connection in
            try await body(
                CRMTransaction(connection: connection, tenant: tenant, actor: actor, now: now, trace: trace, scorer: scorer, permissions: permissions))
        }
    }

    /// Read-only work in `tenant`, in one REPEATABLE READ snapshot (a page and its related rows agree).
    func read<T: Sendable>(_ tenant: TenantID, _ body: (CRMTransaction) async throws -> T) async throws -> T {
        let now = Date()
        let scorer = scorer
        return try await pool.withTenantTransaction(tenant: tenant.uuid, isolation: .repeatableRead) { connection in
            try await body(CRMTransaction(connection: connection, tenant: tenant, actor: "reader", now: now, trace: nil, scorer: scorer))
        }
    }
}
