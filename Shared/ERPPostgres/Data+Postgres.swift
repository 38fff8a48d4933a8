import Foundation

/// `bytea`; any bytes, zero bytes included.
extension Data: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .bytea }

    public func postgresBind() throws -> PostgresBind {
        PostgresBind(dataType: .bytea, text: PostgresBytea.encode(self))
    }

    public init(postgresText text: String, dataType: PostgresDataType) throws {
        guard let bytes = PostgresBytea.decode(text) else { throw Self.decodingError(dataType) }
        self = Data(bytes)
    }
}
