import Foundation

extension PostgresQuery {
    /// Collects SQL text and binds while a query literal is built.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var sql: String
        var binds: [PostgresBind] = []
        var encodingError: PostgresError?

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// A value, sent as the next `$n` bind.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            appendBind { try value.postgresBind() }
        }

        /// An optional value; `nil` is sent as a NULL of the wrapped type.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            appendBind { try value.postgresBind() }
        }

        /// A quoted identifier (`"name"`, embedded quotes doubled) for table and column names that
        /// are only known at run time (tests, migrations). Values never go here.
        public mutating func appendInterpolation(identifier: String) {
            sql += "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }

        /// SQL text fixed at compile time (e.g. a column list or `ORDER BY` direction chosen from constants).
        public mutating func appendInterpolation(unescaped: StaticString) {
            sql += unescaped.description
        }

        private mutating func appendBind(_ encode: () throws -> PostgresBind) {
            let bind: PostgresBind
            do {
                bind = try encode()
            } catch {
                if encodingError == nil {
                    encodingError = (error as? PostgresError) ?? PostgresError(code: .encoding, message: "a bind value could not be encoded")
                }
                bind = .null()
            }
            binds.append(bind)
            sql += "$\(binds.count)"
        }
    }
}
