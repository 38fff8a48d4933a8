import Foundation

/// Sent as `uuid` (not text) so `WHERE id = $1` compares with a uuid column without a cast.
extension UUID: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .uuid }

    public func postgresBind() throws -> PostgresBind {
        PostgresBind(dataType: .uuid, text: uuidString.lowercased())
    }

    public init(postgresText text: String, dataType: PostgresDataType) throws {
        guard let value = UUID(uuidString: text) else { throw Self.decodingError(dataType) }
        self = value
    }
}
