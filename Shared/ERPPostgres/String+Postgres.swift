/// Strings are sent as `text`; any column decodes as its text representation (handy for enums,
/// `name`, `varchar`). A NUL character is rejected at execution time, since PostgreSQL text
/// cannot hold it and libpq would silently cut the value there.
extension String: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .text }

    public func postgresBind() throws -> PostgresBind {
        PostgresBind(dataType: .text, text: self)
    }

    public init(postgresText text: String, dataType: PostgresDataType) throws {
        self = text
    }
}
