import ERPPostgres
import ERPProtocol
import Foundation

/// When each tenant next has time-driven work (not tenant-scoped: the scheduler's index).
struct BillingScheduleRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    func set(tenant: TenantID, nextDueAt: Date?) async throws {
        if let nextDueAt {
            try await connection.execute(
                """
                INSERT INTO billing_schedule (tenant_id, next_due_at) VALUES (\(tenant.uuid), \(nextDueAt))
                ON CONFLICT (tenant_id) DO UPDATE SET next_due_at = EXCLUDED.next_due_at
                """
            )
        } else {
            try await connection.execute("DELETE FROM billing_schedule WHERE tenant_id = \(tenant.uuid)")
        }
    }

    /// Tenants with work due at `now`, most overdue first.
    func due(at now: Date, limit: Int) async throws -> [TenantID] {
        try await connection.query(
            "SELECT tenant_id FROM billing_schedule WHERE next_due_at <= \(now) ORDER BY next_due_at LIMIT \(limit)"
        ).map { TenantID(try $0.decode(UUID.self, at: 0)) }
    }

    /// Takes `tenant`'s billing lock for the rest of the transaction; false when another replica
    /// holds it (that replica is doing the work).
    func lockTenant(_ tenant: TenantID) async throws -> Bool {
        try await connection.query(
            "SELECT pg_try_advisory_xact_lock(hashtext('erp-subscription-billing'), hashtext(\(tenant.description)))"
        )[0].decode(Bool.self, at: 0)
    }
}
