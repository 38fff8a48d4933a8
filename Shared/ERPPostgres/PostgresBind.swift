/// One query parameter: its type OID and its value in PostgreSQL's text input format, or nil for NULL.
///
/// Sent with `PQexecParams`, separate from the SQL text, so a value can never change the statement.
public struct PostgresBind: Sendable, Hashable {
    public let dataType: PostgresDataType
    /// The text representation, or nil for SQL NULL.
    public let text: String?

    public init(dataType: PostgresDataType, text: String?) {
        self.dataType = dataType
        self.text = text
    }

    /// A NULL of the given type.
    public static func null(_ dataType: PostgresDataType = .unspecified) -> PostgresBind {
        PostgresBind(dataType: dataType, text: nil)
    }
}
