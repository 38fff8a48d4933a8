import ERPConcurrency
import Foundation
import Logging
import Synchronization

/// A bounded pool of PostgreSQL connections.
///
/// - At most `configuration.poolSize` connections, opened lazily; further callers wait in FIFO
///   order up to `configuration.checkoutTimeout` (then `PostgresError(.poolTimeout)`).
/// - libpq blocks, so every call runs on a dedicated `BlockingExecutor` with one thread per
///   connection, never on Swift's cooperative pool.
/// - An idle connection whose server went away (restart, failover, idle timeout) is noticed at
///   checkout (its socket is readable or hung up) and replaced before anything is sent, so the
///   first query after a restart succeeds. A statement that was already sent is never re-run.
/// - A connection returned inside an open or failed transaction is rolled back; one in an
///   unknown state is closed. Sessions use TimeZone=UTC and DateStyle=ISO. Session-level `SET`
///   persists into the next borrower: use `SET LOCAL` inside a transaction instead.
/// - A running statement is not interrupted by task cancellation; bound statements with
///   `statement_timeout` (e.g. `?options=-c%20statement_timeout%3D30s` in the URL).
///
/// Row-level security: `withTenantTransaction` sets `app.tenant_id` for one transaction only.
/// Once set on a session, the setting reads as `''` (not NULL) outside such transactions, so
/// policies must be written as
/// `USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)`;
/// without the `nullif`, queries outside a tenant transaction fail on reused connections.
public final class PostgresPool: Sendable {
    public let configuration: PostgresConfiguration
    let logger: Logger
    private let executor: BlockingExecutor
    private let state: Mutex<PostgresPoolState>
    private let waiterIDs = Atomic<Int>(0)

    static let closedError = PostgresError(code: .poolClosed, message: "the connection pool is shut down")

    public init(configuration: PostgresConfiguration, logger: Logger) {
        let size = max(1, configuration.poolSize)
        var logger = logger
        logger[metadataKey: "erp.postgres.server"] = "\(configuration)"
        self.configuration = configuration
        self.logger = logger
        self.executor = BlockingExecutor(threadCount: size, name: "postgres")
        self.state = Mutex(PostgresPoolState(capacity: size))
    }

    /// Lends a connection to `body` and takes it back afterwards, also when `body` throws.
    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let handle = try await checkOut()
        let connection = PostgresConnection(handle: handle, executor: executor)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(connection))
        } catch {
            result = .failure(error)
        }
        connection.endLoan()
        await checkIn(handle)
        return try result.get()
    }

    /// Runs a statement on a pooled connection (outside any explicit transaction).
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { try await $0.query(query) }
    }

    /// Runs a statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await withConnection { try await $0.execute(query) }
    }

    /// Readiness check: a round trip to the server on a pooled connection.
    public func ping() async throws {
        try await withConnection { _ = try await $0.query("SELECT 1") }
    }

    /// Refuses new work, fails waiting callers with `poolClosed` and closes idle connections.
    /// Connections still lent out are closed when their closures return.
    public func shutdown() async {
        let (idle, waiters, shutDownExecutor) = state.withLock { $0.close() }
        for waiter in waiters {
            waiter.resume(with: .failure(Self.closedError))
        }
        for handle in idle {
            _ = try? await executor.run { handle.close() }
        }
        if shutDownExecutor { executor.shutdown() }
        if !idle.isEmpty || !waiters.isEmpty || shutDownExecutor {
            logger.info("postgres pool shut down")
        }
    }

    // MARK: - Checkout

    private func checkOut() async throws -> PostgresConnectionHandle {
        switch try await acquireGrant() {
        case .openSlot:
            return try await openConnection()
        case .connection(let handle):
            let healthy: Bool
            do {
                healthy = try await executor.run { handle.checkOutHealth() }
            } catch {
                perform(state.withLock { $0.release(handle, reusable: false) })
                throw Self.closedError
            }
            if healthy { return handle }
            // The handle closed itself; its slot is reused for a fresh connection.
            logger.notice("postgres connection was closed by the server while idle; reconnecting", metadata: ["erp.postgres.connection": "\(handle.id)"])
            return try await openConnection()
        }
    }

    /// Opens a connection in a slot already counted as open; frees the slot on failure.
    private func openConnection() async throws -> PostgresConnectionHandle {
        let id = state.withLock { $0.nextConnectionID() }
        let configuration = self.configuration
        do {
            let handle = try await executor.run { try PostgresConnectionHandle.open(id: id, configuration: configuration) }
            logger.debug("postgres connection opened", metadata: ["erp.postgres.connection": "\(id)"])
            return handle
        } catch {
            perform(state.withLock { $0.releaseSlot() })
            if let error = error as? PostgresError {
                logger.warning("postgres connection failed", metadata: ["erp.postgres.error": "\(error.message)"])
                throw error
            }
            throw Self.closedError
        }
    }

    private func acquireGrant() async throws -> PostgresPoolState.Grant {
        let id = waiterIDs.add(1, ordering: .relaxed).newValue
        let timeout = configuration.checkoutTimeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let acquisition = state.withLock {
                    $0.acquire(id: id, continuation: continuation, isCancelled: Task.isCancelled)
                }
                switch acquisition {
                case .granted(let grant):
                    continuation.resume(returning: grant)
                case .failed(let error):
                    continuation.resume(throwing: error)
                case .queued:
                    let timeoutTask = Task { [weak self] in
                        try? await Task.sleep(for: timeout)
                        guard !Task.isCancelled else { return }
                        self?.expireWaiter(id: id)
                    }
                    if !state.withLock({ $0.attach(timeoutTask: timeoutTask, toWaiter: id) }) {
                        timeoutTask.cancel()
                    }
                }
            }
        } onCancel: {
            state.withLock { $0.removeWaiter(id: id) }?.resume(with: .failure(CancellationError()))
        }
    }

    private func expireWaiter(id: Int) {
        guard let waiter = state.withLock({ $0.removeWaiter(id: id) }) else { return }
        logger.warning("postgres pool checkout timed out", metadata: ["erp.postgres.pool_size": "\(state.withLock { $0.capacity })"])
        waiter.resume(with: .failure(PostgresError(code: .poolTimeout, message: "no database connection became free in time")))
    }

    // MARK: - Check-in

    private func checkIn(_ handle: PostgresConnectionHandle) async {
        let reuse = (try? await executor.run { handle.cleanUpForReuse() }) ?? .unusable
        switch reuse {
        case .clean:
            break
        case .rolledBack:
            logger.warning("postgres connection was returned inside a transaction; rolled back", metadata: ["erp.postgres.connection": "\(handle.id)"])
        case .unusable:
            logger.notice("postgres connection discarded", metadata: ["erp.postgres.connection": "\(handle.id)"])
        }
        perform(state.withLock { $0.release(handle, reusable: reuse != .unusable) })
    }

    private func perform(_ actions: PostgresPoolState.ReleaseActions) {
        if let (waiter, grant) = actions.handOver {
            waiter.resume(with: .success(grant))
        }
        if let handle = actions.handleToClose {
            if !executor.submit({ handle.close() }) { handle.close() }
        }
        if actions.shutDownExecutor { executor.shutdown() }
    }
}
