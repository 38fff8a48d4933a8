import ERPProtocol
import Foundation

/// A member of a PATCH body: absent (leave as is), `null` (clear) or a value (replace).
enum Patch<Value: Sendable>: Sendable {
    case absent
    case null
    case value(Value)

    /// The new value given the current one.
    func applied(to current: Value?) -> Value? {
        switch self {
        case .absent: current
        case .null: nil
        case .value(let value): value
        }
    }

    var isPresent: Bool {
        if case .absent = self { return false }
        return true
    }
}

extension KeyedDecodingContainer {
    /// Reads `key` keeping the difference between a missing member and an explicit `null`.
    func patch<Value: Decodable & Sendable>(_ type: Value.Type, forKey key: Key) throws -> Patch<Value> {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decode(Value.self, forKey: key))
    }
}

/// Any member name, to find members a body should not have.
struct AnyCodingKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Refuses members outside `allowed` (a typo in a PATCH must not be silently ignored).
    func rejectUnknownKeys(_ allowed: Set<String>) throws {
        let container = try container(keyedBy: AnyCodingKey.self)
        let unknown = container.allKeys.map(\.stringValue).filter { !allowed.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw ProblemDetails.validation(unknown.map { FieldIssue(field: codingPath.isEmpty ? $0 : "\(codingPath.map(\.stringValue).joined(separator: ".")).\($0)", code: "unknown_field", message: "This member is not part of the resource.") })
        }
    }
}
