import ERPConcurrency
import Synchronization

/// A connection lent by `PostgresPool` for the duration of one closure.
///
/// Do not keep it after the closure returns: it goes back to the pool (or is closed) and any later
/// call throws. Statements on one connection run one after another.
public final class PostgresConnection: Sendable {
    let handle: PostgresConnectionHandle
    private let executor: BlockingExecutor
    private let isLent = Atomic<Bool>(true)

    init(handle: PostgresConnectionHandle, executor: BlockingExecutor) {
        self.handle = handle
        self.executor = executor
    }

    /// Runs a statement and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        let handle = try lentHandle()
        return try await runBlocking { try handle.execute(query) }
    }

    /// Runs a statement and returns the number of rows it inserted, updated or deleted.
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await self.query(query).affectedRows
    }

    /// Runs several `;`-separated statements with the simple query protocol (migrations, DDL).
    ///
    /// There are no binds here: `sql` must be fixed text and must never contain a value that came
    /// from a request, a user or another service. Use `query`/`execute` for anything with values.
    public func executeScript(_ sql: String) async throws {
        let handle = try lentHandle()
        try await runBlocking { try handle.executeScript(sql) }
    }

    /// Called by the pool when the closure that borrowed the connection returns.
    func endLoan() {
        isLent.store(false, ordering: .releasing)
    }

    func runBlocking<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        do {
            return try await executor.run(work)
        } catch is BlockingExecutorError {
            throw PostgresError(code: .poolClosed, message: "the connection pool is shut down")
        }
    }

    private func lentHandle() throws -> PostgresConnectionHandle {
        guard isLent.load(ordering: .acquiring) else {
            throw PostgresError(code: .connectionFailed, message: "the connection was used after the closure that borrowed it returned")
        }
        return handle
    }
}
