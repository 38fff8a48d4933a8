import Foundation

/// A plain `UUID` property written on the wire as the suite writes every id: the canonical
/// lowercase string (see ``Identifier``). Foundation encodes `UUID` uppercase, so a response
/// struct marks its id fields `@LowercaseUUID` and front ends can compare ids from different
/// services as plain strings. Decoding accepts either case.
@propertyWrapper
public struct LowercaseUUID: Codable, Hashable, Sendable {
    public var wrappedValue: UUID

    public init(wrappedValue: UUID) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let uuid = UUID(uuidString: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Not a UUID: \(text)")
        }
        wrappedValue = uuid
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue.uuidString.lowercased())
    }
}
