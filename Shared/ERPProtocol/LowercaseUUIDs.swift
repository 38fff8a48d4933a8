import Foundation

/// ``LowercaseUUID`` for a list of ids.
@propertyWrapper
public struct LowercaseUUIDs: Codable, Hashable, Sendable {
    public var wrappedValue: [UUID]

    public init(wrappedValue: [UUID]) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: any Decoder) throws {
        wrappedValue = try [LowercaseUUID](from: decoder).map(\.wrappedValue)
    }

    public func encode(to encoder: any Encoder) throws {
        try wrappedValue.map { $0.uuidString.lowercased() }.encode(to: encoder)
    }
}
