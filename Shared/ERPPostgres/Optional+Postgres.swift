/// `nil` is sent as a NULL of the wrapped type.
extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresDataType: PostgresDataType { Wrapped.postgresDataType }

    public func postgresBind() throws -> PostgresBind {
        switch self {
        case .some(let value): try value.postgresBind()
        case .none: .null(Wrapped.postgresDataType)
        }
    }
}

/// A NULL cell decodes as `nil`; decode NULLable columns as `T?`.
extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresText text: String, dataType: PostgresDataType) throws {
        self = .some(try Wrapped(postgresText: text, dataType: dataType))
    }

    public static func postgresNull() throws -> Wrapped? { nil }
}
