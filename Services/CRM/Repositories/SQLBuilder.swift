import ERPPostgres

/// Assembles a statement whose shape depends on the request (optional filters, a chosen sort)
/// from fixed SQL fragments and binds. Fragments are `StaticString`s, so only text written in
/// this code base becomes SQL; every value goes in a bind (`$n`).
struct SQLBuilder: Sendable {
    private(set) var sql = ""
    private(set) var binds: [PostgresBind] = []
    private var encodingError: PostgresError?

    init(_ fragment: StaticString = "") {
        sql = fragment.description
    }

    /// Fixed SQL text.
    mutating func append(_ fragment: StaticString) {
        sql += fragment.description
    }

    /// A value as the next `$n`.
    mutating func bind(_ value: some PostgresEncodable) {
        do {
            binds.append(try value.postgresBind())
        } catch {
            encodingError = encodingError ?? (error as? PostgresError) ?? PostgresError(code: .encoding, message: "a bind value could not be encoded")
            binds.append(.null())
        }
        sql += "$\(binds.count)"
    }

    /// `fragment` with `value` bound in place of each `?` of it (e.g. `" AND owner_id = ?"`).
    mutating func append(_ fragment: StaticString, _ values: any PostgresEncodable...) {
        let parts = fragment.description.split(separator: "?", omittingEmptySubsequences: false)
        precondition(parts.count == values.count + 1, "placeholder count does not match the values")
        for (index, part) in parts.enumerated() {
            sql += part
            if index < values.count { bindAny(values[index]) }
        }
    }

    private mutating func bindAny(_ value: any PostgresEncodable) {
        bind(value)
    }

    /// The statement; throws if a value could not be encoded.
    func query() throws -> PostgresQuery {
        if let encodingError { throw encodingError }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}
