/// A SQL statement and its binds.
///
/// Written as a string literal whose interpolations become `$n` parameters, never SQL text:
///
///     let rows = try await pool.query("SELECT * FROM invoices WHERE id = \(id) AND total > \(minimum)")
///
/// Only literals are accepted (a `String` variable does not convert), so a value cannot be
/// concatenated into the statement by accident. `init(unsafeSQL:binds:)` is the visible escape hatch.
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The statement text with `$1`, `$2`, … placeholders.
    public private(set) var sql: String
    /// One entry per placeholder, in order.
    public private(set) var binds: [PostgresBind]
    /// The first value that failed to encode; reported when the query runs, since string
    /// interpolation cannot throw.
    let encodingError: PostgresError?

    /// Builds a query from text assembled at run time. Every value must still go in `binds`;
    /// named so it stands out in review.
    public init(unsafeSQL: String, binds: [PostgresBind] = []) {
        self.sql = unsafeSQL
        self.binds = binds
        self.encodingError = nil
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
        self.encodingError = stringInterpolation.encodingError
    }

    /// The SQL text and the number of binds; bind values are left out so the description can be logged.
    public var description: String {
        "\(sql) [\(binds.count) bind\(binds.count == 1 ? "" : "s")]"
    }
}
