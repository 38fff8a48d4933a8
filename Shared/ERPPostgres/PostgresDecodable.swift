/// A Swift value that can be read from a result cell (text format plus the column's type OID).
public protocol PostgresDecodable: Sendable {
    /// Decodes a non-NULL cell. Throw `PostgresError(.decoding)` for text that does not parse;
    /// the message must not quote the text (it is row data).
    init(postgresText text: String, dataType: PostgresDataType) throws

    /// The value for a NULL cell. The default throws `PostgresError(.decoding)`; `Optional` returns nil.
    static func postgresNull() throws -> Self
}

extension PostgresDecodable {
    public static func postgresNull() throws -> Self {
        throw PostgresError(code: .decoding, message: "NULL cannot be decoded as non-optional \(Self.self)")
    }

    /// The error conforming types throw for text they cannot parse; names the types, never the text.
    static func decodingError(_ dataType: PostgresDataType) -> PostgresError {
        PostgresError(code: .decoding, message: "a value of type \(dataType) cannot be decoded as \(Self.self)")
    }
}
