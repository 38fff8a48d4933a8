extension Bool: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .bool }

    public func postgresBind() throws -> PostgresBind {
        PostgresBind(dataType: .bool, text: self ? "true" : "false")
    }

    public init(postgresText text: String, dataType: PostgresDataType) throws {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw Self.decodingError(dataType)
        }
    }
}
