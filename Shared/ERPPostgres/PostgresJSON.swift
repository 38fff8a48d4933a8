import Foundation

/// A Codable value stored as `jsonb`: `INSERT … VALUES (\(PostgresJSON(settings)))`,
/// `row.decode(PostgresJSON<Settings>.self, named: "settings").value`.
///
/// Keys are sorted and dates are ISO-8601 UTC with milliseconds (`2024-05-06T07:08:09.123Z`), the
/// same as the services' wire JSON, so a stored document reads the same from SQL and from the API.
public struct PostgresJSON<Value: Codable & Sendable>: Sendable, PostgresEncodable, PostgresDecodable {
    public var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    public static var postgresDataType: PostgresDataType { .jsonb }

    public func postgresBind() throws -> PostgresBind {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            guard let text = PostgresTimestamp.formatISO8601(date) else {
                throw EncodingError.invalidValue(date, .init(codingPath: encoder.codingPath, debugDescription: "year out of range"))
            }
            var container = encoder.singleValueContainer()
            try container.encode(text)
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            let data = try encoder.encode(value)
            return PostgresBind(dataType: .jsonb, text: String(decoding: data, as: UTF8.self))
        } catch {
            // The encoder's message may quote the value; name only the type.
            throw PostgresError(code: .encoding, message: "\(Value.self) could not be encoded as JSON")
        }
    }

    public init(postgresText text: String, dataType: PostgresDataType) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            guard let date = PostgresTimestamp.parse(try container.decode(String.self)) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO-8601 timestamp")
            }
            return date
        }
        do {
            value = try decoder.decode(Value.self, from: Data(text.utf8))
        } catch {
            throw PostgresError(code: .decoding, message: "a value of type \(dataType) cannot be decoded as JSON \(Value.self)")
        }
    }
}

extension PostgresJSON: Equatable where Value: Equatable {}
extension PostgresJSON: Hashable where Value: Hashable {}
