/// Integers travel in decimal text; decoding accepts any integer column that fits (int2/int4/int8,
/// oid) and throws rather than truncating when the value is out of range.
extension PostgresEncodable where Self: FixedWidthInteger {
    public func postgresBind() throws -> PostgresBind {
        PostgresBind(dataType: Self.postgresDataType, text: String(self))
    }
}

extension PostgresDecodable where Self: FixedWidthInteger {
    public init(postgresText text: String, dataType: PostgresDataType) throws {
        guard let value = Self(text, radix: 10) else { throw Self.decodingError(dataType) }
        self = value
    }
}

extension Int: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .int8 }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .int8 }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .int4 }
}

extension Int16: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .int2 }
}
