import Foundation

/// The JSON coding every service uses on the wire (HTTP bodies, Kafka payloads, cursors).
///
/// - Keys are written exactly as the Swift types declare them (camelCase); no key strategy,
///   so a DTO's JSON is readable from its declaration.
/// - `.sortedKeys` makes the output deterministic (golden files, idempotency hashes, cursors);
///   `.withoutEscapingSlashes` keeps URLs and schema URNs readable.
/// - Dates are ISO-8601 UTC with exactly three fractional digits (`2026-11-21T04:40:51.123Z`);
///   the decoder also accepts no or more fractional digits and numeric offsets (`+02:00`).
///
/// Both factories return a fresh instance per call, so callers may adjust one without
/// affecting anybody else.
public enum ERPJSON {
    /// A new encoder configured for the wire format.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601Timestamp.format(date))
        }
        return encoder
    }

    /// A new decoder that reads the wire format.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ISO8601Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "Expected an ISO-8601 timestamp such as 2026-11-21T04:40:51.123Z"
                )
            }
            return date
        }
        return decoder
    }

    /// Encodes `value` with a fresh wire encoder.
    public static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        try encoder().encode(value)
    }

    /// Decodes a `Value` from `data` with a fresh wire decoder.
    public static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        try decoder().decode(type, from: data)
    }

    /// The wire text of a date (`2026-11-21T04:40:51.123Z`), e.g. for query parameters or headers.
    public static func string(from date: Date) -> String {
        ISO8601Timestamp.format(date)
    }

    /// Parses a wire timestamp; `nil` when `text` is not ISO-8601 date-time.
    public static func date(from text: String) -> Date? {
        ISO8601Timestamp.parse(text)
    }
}
