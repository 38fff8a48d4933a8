/// An error from the PostgreSQL wrapper: a server error (with its SQLSTATE), a lost connection,
/// a pool condition or a value that could not be encoded or decoded.
///
/// `message` is the server's primary message only. The detail field (which quotes row data, e.g.
/// "Key (email)=(a@b.c) already exists"), bind values and connection strings are never part of it,
/// so the error can be logged and its description shown to operators.
public struct PostgresError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The kind of failure; stable across PostgreSQL versions and locales.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        public var description: String { name }

        /// 23505: a unique or primary-key constraint rejected the row.
        public static let uniqueViolation = Code("uniqueViolation")
        /// 23503: a foreign key points at a missing row (or a referenced row is still used).
        public static let foreignKeyViolation = Code("foreignKeyViolation")
        /// 23514: a CHECK constraint rejected the row.
        public static let checkViolation = Code("checkViolation")
        /// 23502: NULL into a NOT NULL column.
        public static let notNullViolation = Code("notNullViolation")
        /// 40001: the transaction conflicted with a concurrent one; run it again.
        public static let serializationFailure = Code("serializationFailure")
        /// 40P01: the transaction was chosen as a deadlock victim; run it again.
        public static let deadlockDetected = Code("deadlockDetected")
        /// The server could not be reached or the connection broke (08xxx, 57P01-57P03, EOF).
        /// A statement that was sent may or may not have executed.
        public static let connectionFailed = Code("connectionFailed")
        /// 57014: statement_timeout or a cancel request stopped the statement.
        public static let queryCanceled = Code("queryCanceled")
        /// The URL or another setting of `PostgresConfiguration` is unusable.
        public static let invalidConfiguration = Code("invalidConfiguration")
        /// A value could not be encoded into a bind (e.g. JSON encoding failed).
        public static let encoding = Code("encoding")
        /// A cell could not be decoded into the requested Swift type (including NULL into a non-optional).
        public static let decoding = Code("decoding")
        /// The pool was shut down.
        public static let poolClosed = Code("poolClosed")
        /// No connection became free within the pool's checkout timeout.
        public static let poolTimeout = Code("poolTimeout")
        /// A migration failed, was edited after it was applied, or the migration set is inconsistent.
        public static let migration = Code("migration")
        /// Any other server error; see `sqlState`.
        public static let server = Code("server")
    }

    public let code: Code
    /// The five-character SQLSTATE when the server reported one.
    public let sqlState: String?
    /// The constraint that was violated (PG_DIAG_CONSTRAINT_NAME), to map to a field error.
    public let constraint: String?
    /// The primary message: no bind values, no row data, no connection string.
    public let message: String

    public init(code: Code, message: String, sqlState: String? = nil, constraint: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.constraint = constraint
    }

    /// True when running the whole transaction again may succeed (serialization failure or deadlock).
    public var isRetryable: Bool {
        code == .serializationFailure || code == .deadlockDetected
    }

    public var description: String {
        var text = "PostgresError.\(code)"
        if let sqlState { text += " [\(sqlState)]" }
        if let constraint { text += " (constraint \(constraint))" }
        return text + ": \(message)"
    }

    /// Errors compare by code, so `#expect(throws: PostgresError(code: .uniqueViolation, …))` and
    /// `error == .init(code: …)` read naturally.
    public static func == (lhs: PostgresError, rhs: PostgresError) -> Bool {
        lhs.code == rhs.code
    }

    /// The wrapper's code for a SQLSTATE.
    static func code(forSQLState state: String) -> Code {
        switch state {
        case "23505": .uniqueViolation
        case "23503": .foreignKeyViolation
        case "23514": .checkViolation
        case "23502": .notNullViolation
        case "40001": .serializationFailure
        case "40P01": .deadlockDetected
        case "57014": .queryCanceled
        case "57P01", "57P02", "57P03": .connectionFailed
        case _ where state.hasPrefix("08"): .connectionFailed
        default: .server
        }
    }
}
