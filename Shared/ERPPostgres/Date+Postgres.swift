import Foundation

/// `timestamptz` with microsecond precision. Sessions run with TimeZone=UTC and DateStyle=ISO,
/// so the text is unambiguous; `timestamp` and `date` columns also decode (taken as UTC).
extension Date: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .timestamptz }

    public func postgresBind() throws -> PostgresBind {
        guard let text = PostgresTimestamp.format(self) else {
            throw PostgresError(code: .encoding, message: "date outside the years 1...9999 cannot be encoded")
        }
        return PostgresBind(dataType: .timestamptz, text: text)
    }

    public init(postgresText text: String, dataType: PostgresDataType) throws {
        guard let date = PostgresTimestamp.parse(text) else { throw Self.decodingError(dataType) }
        self = date
    }
}
