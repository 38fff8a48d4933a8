/// Makes `[UInt8]` map to `bytea` (not to an array of numbers).
extension UInt8: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { .bytea }

    public static func postgresArrayBind(_ elements: [UInt8]) throws -> PostgresBind {
        PostgresBind(dataType: .bytea, text: PostgresBytea.encode(elements))
    }

    public static func postgresArray(fromText text: String, dataType: PostgresDataType) throws -> [UInt8] {
        guard let bytes = PostgresBytea.decode(text) else { throw [UInt8].decodingError(dataType) }
        return bytes
    }
}
