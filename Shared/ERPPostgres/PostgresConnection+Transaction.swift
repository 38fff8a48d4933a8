import Foundation

extension PostgresConnection {
    /// BEGIN, optionally scope to a tenant, run `body`, COMMIT; ROLLBACK and rethrow when anything throws.
    func transaction<T: Sendable>(
        isolation: PostgresIsolationLevel,
        tenant: UUID?,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await executeScript(isolation.beginStatement)
        do {
            if let tenant {
                // Transaction-local (third argument true): the setting ends with the transaction, so
                // the next borrower of this connection never inherits the tenant.
                try await query("SELECT set_config('app.tenant_id', \(tenant.uuidString.lowercased()), true)")
            }
            let result = try await body(self)
            let commit = try await query("COMMIT")
            // COMMIT of a transaction in which a statement failed (and the body swallowed the error)
            // succeeds with the tag ROLLBACK: nothing was saved, which the caller must learn.
            guard commit.commandTag == "COMMIT" else {
                throw PostgresError(
                    code: .server,
                    message: "the transaction was rolled back because a statement in it failed",
                    sqlState: "25P02"
                )
            }
            return result
        } catch {
            let handle = self.handle
            // Best effort: if this fails the connection is broken and the pool discards it on return.
            try? await runBlocking { try handle.rollbackIfInTransaction() }
            throw error
        }
    }
}
