import Foundation

/// A type whose Swift arrays map to a PostgreSQL array type (`[Int]` ↔ `int8[]`,
/// `[String]` ↔ `text[]`, `[UUID]` ↔ `uuid[]`), or, for `UInt8`, to `bytea`.
///
/// Swift allows `Array` only one conditional conformance to `PostgresEncodable`, so the element
/// type decides how its arrays are represented.
public protocol PostgresArrayElement: Sendable {
    /// The OID of `[Self]` as a whole (e.g. `int8[]`, or `bytea` for bytes).
    static var postgresArrayDataType: PostgresDataType { get }
    static func postgresArrayBind(_ elements: [Self]) throws -> PostgresBind
    static func postgresArray(fromText text: String, dataType: PostgresDataType) throws -> [Self]
}

extension PostgresArrayElement where Self: PostgresEncodable & PostgresDecodable {
    public static func postgresArrayBind(_ elements: [Self]) throws -> PostgresBind {
        let texts = try elements.map { element -> String in
            guard let text = try element.postgresBind().text else {
                throw PostgresError(code: .encoding, message: "NULL array elements are not supported")
            }
            return text
        }
        return PostgresBind(dataType: postgresArrayDataType, text: PostgresArrayLiteral.format(texts))
    }

    public static func postgresArray(fromText text: String, dataType: PostgresDataType) throws -> [Self] {
        guard let elements = PostgresArrayLiteral.parse(text) else {
            throw [Self].decodingError(dataType)
        }
        return try elements.map { element in
            guard let element else {
                throw PostgresError(code: .decoding, message: "NULL array element cannot be decoded as \(Self.self)")
            }
            return try Self(postgresText: element, dataType: .unspecified)
        }
    }
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresDataType: PostgresDataType { Element.postgresArrayDataType }

    public func postgresBind() throws -> PostgresBind {
        try Element.postgresArrayBind(self)
    }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    public init(postgresText text: String, dataType: PostgresDataType) throws {
        self = try Element.postgresArray(fromText: text, dataType: dataType)
    }
}

extension Int: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { .int8Array }
}

extension Int64: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { .int8Array }
}

extension Int32: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { .int4Array }
}

extension String: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { .textArray }
}

extension UUID: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { .uuidArray }
}

extension Bool: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { .boolArray }
}
