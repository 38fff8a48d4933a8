import Foundation

/// ``LowercaseUUID`` for an optional id: written lowercase when present and left out when nil
/// (as a plain optional is); decoding accepts either case, `null` or a missing key.
@propertyWrapper
public struct LowercaseOptionalUUID: Codable, Hashable, Sendable {
    public var wrappedValue: UUID?

    public init(wrappedValue: UUID?) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            wrappedValue = nil
            return
        }
        wrappedValue = try LowercaseUUID(from: decoder).wrappedValue
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue {
            try container.encode(wrappedValue.uuidString.lowercased())
        } else {
            try container.encodeNil()
        }
    }
}

// Synthesized Codable calls these for a wrapped property, so a nil id is omitted and a missing
// key decodes as nil, exactly as for a plain `UUID?`.
extension KeyedEncodingContainer {
    public mutating func encode(_ value: LowercaseOptionalUUID, forKey key: Key) throws {
        guard let uuid = value.wrappedValue else { return }
        try encode(uuid.uuidString.lowercased(), forKey: key)
    }
}

extension KeyedDecodingContainer {
    public func decode(_ type: LowercaseOptionalUUID.Type, forKey key: Key) throws -> LowercaseOptionalUUID {
        try decodeIfPresent(LowercaseOptionalUUID.self, forKey: key) ?? LowercaseOptionalUUID(wrappedValue: nil)
    }
}
