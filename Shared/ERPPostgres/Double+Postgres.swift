/// `float8`. Not for money: use `Decimal` (numeric) or integer minor units.
extension Double: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .float8 }

    public func postgresBind() throws -> PostgresBind {
        // Swift spells the special values "nan"/"inf"; use PostgreSQL's spelling.
        let text: String =
            if isNaN { "NaN" } else if self == .infinity { "Infinity" } else if self == -.infinity { "-Infinity" } else { description }
        return PostgresBind(dataType: .float8, text: text)
    }

    public init(postgresText text: String, dataType: PostgresDataType) throws {
        switch text {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default:
            guard let value = Double(text) else { throw Self.decodingError(dataType) }
            self = value
        }
    }
}
