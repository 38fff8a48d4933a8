/// A Swift value that can be sent as a query parameter.
///
/// Conforming types produce PostgreSQL's text input format together with an explicit type OID;
/// the value travels as a bind (`$n`), never as SQL text.
public protocol PostgresEncodable: Sendable {
    /// The OID sent with the bind; also the type of a NULL of this Swift type.
    static var postgresDataType: PostgresDataType { get }

    /// The bind for this value. Throws `PostgresError(.encoding)` when the value has no
    /// representation (e.g. JSON encoding failed).
    func postgresBind() throws -> PostgresBind
}
