import Foundation

extension PostgresPool {
    /// BEGIN … COMMIT around `body` on one connection; ROLLBACK and rethrow when `body` (or COMMIT) throws.
    public func withTransaction<T: Sendable>(
        isolation: PostgresIsolationLevel = .readCommitted,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withConnection { try await $0.transaction(isolation: isolation, tenant: nil, body) }
    }

    /// A transaction scoped to one tenant for row-level security: runs
    /// `SELECT set_config('app.tenant_id', $1, true)` (bound, transaction-local) before `body`.
    public func withTenantTransaction<T: Sendable>(
        tenant: UUID,
        isolation: PostgresIsolationLevel = .readCommitted,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withConnection { try await $0.transaction(isolation: isolation, tenant: tenant, body) }
    }

    /// Runs the transaction again, after a short jittered pause, when it fails with a serialization
    /// failure or a deadlock (`PostgresError.isRetryable`), up to `maxAttempts` runs in total.
    ///
    /// `body` may therefore run more than once: keep side effects outside the database (HTTP calls,
    /// Kafka) out of it, and rethrow `PostgresError`s unchanged so conflicts are recognised.
    public func withRetryingTransaction<T: Sendable>(
        maxAttempts: Int = 5,
        isolation: PostgresIsolationLevel = .serializable,
        tenant: UUID? = nil,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await withConnection { try await $0.transaction(isolation: isolation, tenant: tenant, body) }
            } catch let error as PostgresError where error.isRetryable && attempt < max(1, maxAttempts) {
                logger.debug(
                    "postgres transaction conflicted; retrying",
                    metadata: ["erp.postgres.attempt": "\(attempt)", "erp.postgres.sqlstate": "\(error.sqlState ?? "")"]
                )
                try await Task.sleep(for: Self.retryDelay(afterAttempt: attempt))
                attempt += 1
            }
        }
    }

    /// Full jitter over an exponential ceiling (5 ms, 10 ms, 20 ms … capped at 250 ms), so
    /// conflicting transactions stop colliding in lockstep.
    static func retryDelay(afterAttempt attempt: Int) -> Duration {
        let ceiling = min(250, 5 << min(attempt - 1, 10))
        return .milliseconds(Int.random(in: 1...ceiling))
    }
}
