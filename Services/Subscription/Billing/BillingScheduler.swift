import ERPPostgres
import ERPProtocol
import Foundation
import Logging
import ServiceLifecycle

/// Fires trials, period ends and dunning retries. Nothing is kept in memory: every due time is
/// derived from stored state (`billing_schedule`), so a restart — or a week of downtime —
/// simply finds the overdue work on the next sweep and catches up period by period. Several
/// replicas may run it: a tenant's work takes a transaction-scoped advisory lock.
struct BillingScheduler: Service {
    let dependencies: SubscriptionDependencies
    let interval: Duration

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await runDue()
            } catch {
                dependencies.logger.error("billing sweep failed", metadata: ["erp.error": .string(String(describing: type(of: error)))])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// One sweep: every tenant with work due at the clock's now. Returns how many were processed.
    @discardableResult
    func runDue(batch: Int = 100) async throws -> Int {
        var processed = 0
        // Bounded, so tenants whose work keeps failing cannot hold a sweep forever.
        for _ in 0..<50 {
            let now = dependencies.clock.now()
            let tenants = try await dependencies.pool.withConnection { try await BillingScheduleRepository($0).due(at: now, limit: batch) }
            for tenant in tenants {
                do {
                    try await process(tenant)
                } catch {
                    dependencies.logger.error("billing work failed for a tenant", metadata: [
                        "erp.tenant.id": .string(tenant.description), "erp.error": .string(String(describing: error)),
                    ])
                }
                processed += 1
            }
            if tenants.count < batch { break }
        }
        return processed
    }

    /// Does `tenant`'s due work, then sends the charges it planned.
    func process(_ tenant: TenantID) async throws {
        let (invoices, stale) = try await dependencies.withLifecycle(tenant, actor: "system:scheduler") { lifecycle -> ([UUID], [PreparedCharge]) in
            guard try await BillingScheduleRepository(lifecycle.connection).lockTenant(tenant) else { return ([], []) }
            let invoices = try await lifecycle.runDueWork()
            var resend: [PreparedCharge] = []
            for payment in try await lifecycle.stalePayments() {
                if let prepared = try await lifecycle.followUp(payment) { resend.append(prepared) }
            }
            return (invoices, resend)
        }
        for prepared in stale { await dependencies.collector.send(prepared, tenant: tenant) }
        try await dependencies.collector.collect(invoices, tenant: tenant, initiatedBy: "system:scheduler")
    }
}
