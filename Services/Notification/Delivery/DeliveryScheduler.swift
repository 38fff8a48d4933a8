import ERPPostgres
import ERPProtocol
import Foundation
import Logging
import ServiceLifecycle

/// Runs due deliveries and escalations. Everything due lives in Postgres (`due_work`), claimed
/// with `FOR UPDATE SKIP LOCKED` and a lease, so several replicas share the work and a restart
/// simply finds what was due (or claimed by a process that died) on its next pass.
struct DeliveryScheduler: Service {
    let dependencies: NotificationDependencies
    /// How long a claimed item stays invisible to other passes (longer than one send can take).
    var lease: TimeInterval = 120
    var batchSize = 64
    /// Items handled at once in a pass.
    var concurrency = 16

    func run() async throws {
        let interval = Duration.milliseconds(dependencies.configuration.schedulerIntervalMilliseconds)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var handled = 0
            do {
                handled = try await runDue()
            } catch {
                dependencies.logger.error("notification scheduler pass failed", metadata: ["erp.error": .string(String(describing: type(of: error)))])
            }
            if handled == 0 { await dependencies.wake.wait(interval) }
        }
    }

    /// Claims and handles what is due at the clock's now, batch after batch. Returns the count.
    @discardableResult
    func runDue() async throws -> Int {
        var handled = 0
        for _ in 0..<100 {
            let now = dependencies.clock.now()
            let items = try await dependencies.pool.withTransaction { try await DueWorkRepository($0).claim(now: now, limit: batchSize, lease: lease) }
            if items.isEmpty { break }
            await withTaskGroup(of: Void.self) { group in
                var running = 0
                for item in items {
                    if running >= concurrency {
                        await group.next()
                        running -= 1
                    }
                    group.addTask { await handle(item) }
                    running += 1
                }
            }
            handled += items.count
            if items.count < batchSize { break }
        }
        return handled
    }

    private func handle(_ item: DueWorkRepository.Item) async {
        do {
            switch item.kind {
            case .delivery: try await DeliveryWorker(dependencies: dependencies).process(tenant: item.tenantID, delivery: item.itemID)
            case .escalation: try await EscalationWorker(dependencies: dependencies).process(tenant: item.tenantID, escalation: item.itemID)
            }
        } catch {
            // The lease brings the item back; nothing is lost.
            dependencies.logger.error("due work failed", metadata: [
                "erp.tenant.id": .string(item.tenantID.description), "erp.work.kind": .string(item.kind.rawValue),
                "erp.error": .string(String(describing: type(of: error))),
            ])
        }
    }
}
