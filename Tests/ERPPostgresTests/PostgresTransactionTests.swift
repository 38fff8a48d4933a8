import ERPPostgres
import ERPTestSupport
import Foundation
import Testing

@Suite("Transactions")
struct PostgresTransactionTests {
    struct Boom: Error {}

    private func count(_ table: String, on pool: PostgresPool) async throws -> Int {
        try await pool.query("SELECT count(*) FROM \(identifier: table)")[0].decode(Int.self, at: 0)
    }

    @Test("withTransaction rolls back when the body throws, rethrows, and the connection stays usable")
    func rollbackOnThrow() async throws {
        try await PostgresTestDatabase.withOwnerTable("tx", columns: "id int PRIMARY KEY") { table in
            let pool = try PostgresTestDatabase.appPool(poolSize: 1)
            await #expect(throws: Boom.self) {
                try await pool.withTransaction { connection in
                    try await connection.execute("INSERT INTO \(identifier: table) (id) VALUES (\(1))")
                    throw Boom()
                }
            }
            #expect(try await count(table, on: pool) == 0)
            let inserted = try await pool.withTransaction { connection in
                try await connection.execute("INSERT INTO \(identifier: table) (id) VALUES (\(2)), (\(3))")
            }
            #expect(inserted == 2)
            #expect(try await count(table, on: pool) == 2)
        }
    }

    @Test("a connection returned inside an open or failed transaction is rolled back before reuse")
    func dirtyConnectionIsCleaned() async throws {
        try await PostgresTestDatabase.withOwnerTable("dirty", columns: "id int PRIMARY KEY") { table in
            let pool = try PostgresTestDatabase.appPool(poolSize: 1)
            // Open transaction with a pending insert, left behind.
            try await pool.withConnection { connection in
                try await connection.executeScript("BEGIN")
                try await connection.execute("INSERT INTO \(identifier: table) (id) VALUES (\(1))")
            }
            // Failed transaction, error swallowed by the borrower.
            try await pool.withConnection { connection in
                try await connection.executeScript("BEGIN")
                _ = try? await connection.query("SELECT 1/0")
            }
            // Same (only) connection: no "current transaction is aborted", and the pending insert
            // is gone (inside the still-open transaction it would be visible).
            #expect(try await count(table, on: pool) == 0)
        }
    }

    @Test("a body that swallows a failed statement cannot commit silently")
    func swallowedFailureDoesNotCommit() async throws {
        try await PostgresTestDatabase.withOwnerTable("swallow", columns: "id int PRIMARY KEY") { table in
            let pool = try PostgresTestDatabase.appPool(poolSize: 1)
            let error = try await #require(throws: PostgresError.self) {
                try await pool.withTransaction { connection in
                    try await connection.execute("INSERT INTO \(identifier: table) (id) VALUES (\(1))")
                    _ = try? await connection.execute("INSERT INTO \(identifier: table) (id) VALUES (\(1))")
                }
            }
            #expect(error.sqlState == "25P02")
            #expect(try await count(table, on: pool) == 0)
        }
    }

    @Test("a serialization failure surfaces as retryable")
    func serializationFailureIsRetryable() async throws {
        try await PostgresTestDatabase.withOwnerTable("ser", columns: "id int PRIMARY KEY, n int NOT NULL") { table in
            let pool = try PostgresTestDatabase.appPool(poolSize: 2)
            try await pool.execute("INSERT INTO \(identifier: table) VALUES (1, 0)")
            let error = try await #require(throws: PostgresError.self) {
                try await pool.withTransaction(isolation: .serializable) { first in
                    _ = try await first.query("SELECT n FROM \(identifier: table) WHERE id = 1")
                    try await pool.withTransaction(isolation: .serializable) { second in
                        _ = try await second.query("SELECT n FROM \(identifier: table) WHERE id = 1")
                        try await second.execute("UPDATE \(identifier: table) SET n = n + 1 WHERE id = 1")
                    }
                    try await first.execute("UPDATE \(identifier: table) SET n = n + 1 WHERE id = 1")
                }
            }
            #expect(error.code == .serializationFailure)
            #expect(error.sqlState == "40001")
            #expect(error.isRetryable)
            let total = try await pool.query("SELECT n FROM \(identifier: table) WHERE id = 1")
            #expect(try total[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test("withRetryingTransaction: concurrent serializable increments all land")
    func retryingTransactionSucceedsAfterConflicts() async throws {
        try await PostgresTestDatabase.withOwnerTable("retry", columns: "id int PRIMARY KEY, n int NOT NULL") { table in
            let pool = try PostgresTestDatabase.appPool(poolSize: 4)
            try await pool.execute("INSERT INTO \(identifier: table) VALUES (1, 0)")
            let attempts = TestCounter()
            // Both first attempts read before either writes, so one of them must conflict and retry.
            let barrier = Barrier(count: 2)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        var isFirstAttempt = true
                        try await pool.withRetryingTransaction(maxAttempts: 10) { connection in
                            attempts.increment()
                            let n = try await connection.query("SELECT n FROM \(identifier: table) WHERE id = 1")[0].decode(Int.self, at: 0)
                            if isFirstAttempt {
                                isFirstAttempt = false
                                await barrier.arriveAndWait()
                            }
                            try await connection.execute("UPDATE \(identifier: table) SET n = \(n + 1) WHERE id = 1")
                        }
                    }
                }
                // More contention without the barrier.
                for _ in 0..<6 {
                    group.addTask {
                        try await pool.withRetryingTransaction(maxAttempts: 20) { connection in
                            attempts.increment()
                            let n = try await connection.query("SELECT n FROM \(identifier: table) WHERE id = 1")[0].decode(Int.self, at: 0)
                            try await connection.execute("UPDATE \(identifier: table) SET n = \(n + 1) WHERE id = 1")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let total = try await pool.query("SELECT n FROM \(identifier: table) WHERE id = 1")
            #expect(try total[0].decode(Int.self, at: 0) == 8)
            #expect(attempts.value > 8)
        }
    }

    @Test("a deadlock is typed and retryable")
    func deadlock() async throws {
        try await PostgresTestDatabase.withOwnerTable("dl", columns: "id int PRIMARY KEY, n int NOT NULL") { table in
            let pool = try PostgresTestDatabase.appPool(poolSize: 2)
            try await pool.execute("INSERT INTO \(identifier: table) VALUES (1, 0), (2, 0)")
            let barrier = Barrier(count: 2)
            let outcomes = try await withThrowingTaskGroup(of: PostgresError?.self) { group in
                for (first, second) in [(1, 2), (2, 1)] {
                    group.addTask {
                        do {
                            try await pool.withTransaction { connection in
                                try await connection.execute("UPDATE \(identifier: table) SET n = n + 1 WHERE id = \(first)")
                                await barrier.arriveAndWait()
                                try await connection.execute("UPDATE \(identifier: table) SET n = n + 1 WHERE id = \(second)")
                            }
                            return nil
                        } catch let error as PostgresError {
                            return error
                        }
                    }
                }
                return try await group.reduce(into: [PostgresError?]()) { $0.append($1) }
            }
            let errors = outcomes.compactMap { $0 }
            #expect(errors.count == 1)
            #expect(errors.first?.code == .deadlockDetected)
            #expect(errors.first?.isRetryable == true)
        }
    }
}
