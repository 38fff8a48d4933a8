import Foundation

/// An opaque pagination cursor: base64url (no padding) of a small JSON object holding the sort
/// key values of the last row of a page, e.g. `{"createdAt":"…","id":"…"}`.
///
/// The service that issued it is the only one that reads it (`decode(_:)`), with the same key
/// type; clients pass `nextCursor` back unchanged. Keyset cursors stay correct while rows are
/// inserted, which offsets do not. The contents are not secret (only encoded), so never put
/// anything in a cursor the caller may not see, and always re-apply tenant scoping.
public struct Cursor: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Longest cursor accepted from a client; real ones are well under 200 characters.
    public static let maximumLength = 1024

    /// The cursor as sent on the wire.
    public let rawValue: String

    /// Encodes `keys` into a cursor: the wire encoder (sorted keys), except that dates keep
    /// microseconds — PostgreSQL's timestamp precision — so a keyset comparison against a
    /// `timestamptz` column neither repeats nor skips the row the cursor names. (The wire's
    /// milliseconds would make `(created_at, id) > (cursor…)` return that row again.)
    public init(encoding keys: some Encodable) throws {
        let encoder = ERPJSON.encoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601Timestamp.formatMicroseconds(date))
        }
        rawValue = Base64URL.encode(try encoder.encode(keys))
    }

    /// Accepts a cursor string from a client if it is plausibly one of ours (base64url, not too
    /// long); `decode(_:)` does the real check.
    public init?(rawValue: String) {
        guard !rawValue.isEmpty, rawValue.utf8.count <= Self.maximumLength,
            rawValue.utf8.allSatisfy(Base64URL.isAlphabet)
        else { return nil }
        self.rawValue = rawValue
    }

    /// The key values this cursor carries. Throws a 422 `validation_failed` problem on the
    /// `cursor` field for anything that was not produced by ``init(encoding:)`` with `Keys`,
    /// so a handler can let it propagate to the client.
    public func decode<Keys: Decodable>(_ type: Keys.Type) throws(ProblemDetails) -> Keys {
        guard let json = Base64URL.decode(rawValue), let keys = try? ERPJSON.decode(type, from: json) else {
            throw Self.invalidProblem
        }
        return keys
    }

    /// The problem answered for a cursor that is not valid.
    public static var invalidProblem: ProblemDetails {
        .validation([
            .invalid("cursor", message: "The cursor is not valid; pass nextCursor from the previous page unchanged.")
        ])
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let cursor = Cursor(rawValue: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Not a pagination cursor")
        }
        self = cursor
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
