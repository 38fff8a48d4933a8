import Foundation

/// A UUID that knows what it identifies: `TenantID` and `UserID` are different types, so one
/// cannot be passed where the other is expected.
///
/// On the wire it is the canonical lowercase UUID string (`"0b6f3c7e-…"`). Foundation's `UUID`
/// encodes uppercase; the suite uses lowercase everywhere (JSON, Kafka keys, Postgres text,
/// URLs) so ids compare equal as plain strings. Decoding accepts either case.
public struct Identifier<Tag>: Hashable, Sendable, Comparable, Codable, CodingKeyRepresentable,
    LosslessStringConvertible
{
    /// The underlying UUID.
    public let uuid: UUID

    /// Wraps an existing UUID.
    public init(_ uuid: UUID) {
        self.uuid = uuid
    }

    /// Parses a canonical 36-character UUID string in either case; `nil` for anything else.
    public init?(string: String) {
        // Check the shape ourselves: Foundation's parser on Linux accepts e.g. a leading space
        // in place of a digit, and an id that parses differently than it reads is a hazard.
        guard Self.isCanonical(string), let uuid = UUID(uuidString: string) else { return nil }
        self.uuid = uuid
    }

    private static func isCanonical(_ text: String) -> Bool {
        let bytes = text.utf8
        guard bytes.count == 36 else { return false }
        for (offset, byte) in bytes.enumerated() {
            switch offset {
            case 8, 13, 18, 23:
                guard byte == UInt8(ascii: "-") else { return false }
            default:
                let isHex = (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
                    || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
                guard isHex else { return false }
            }
        }
        return true
    }

    /// Same as ``init(string:)`` (for `LosslessStringConvertible`).
    public init?(_ description: String) {
        self.init(string: description)
    }

    /// A new random (version 4) identifier.
    public static func random() -> Identifier {
        Identifier(UUID())
    }

    /// The canonical lowercase form, as written on the wire.
    public var description: String {
        uuid.uuidString.lowercased()
    }

    /// Orders by the wire string, which is what Postgres' `uuid` ordering and cursors agree on.
    public static func < (lhs: Identifier, rhs: Identifier) -> Bool {
        lhs.description < rhs.description
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = Identifier(string: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Expected a UUID string")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // Lets `[TenantID: X]` encode as a JSON object keyed by id rather than as an array of pairs.
    public var codingKey: any CodingKey { IdentifierCodingKey(stringValue: description) }

    public init?<Key: CodingKey>(codingKey: Key) {
        self.init(string: codingKey.stringValue)
    }
}

private struct IdentifierCodingKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
