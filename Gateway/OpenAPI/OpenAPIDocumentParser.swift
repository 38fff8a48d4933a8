import ERPProtocol
import Foundation
import Yams

/// Reads a service's OpenAPI document, JSON or YAML, into a `JSONValue` tree.
///
/// YAML goes through Yams's node tree rather than `Yams.load`: plain scalars get their YAML 1.2
/// core-schema types (null, bool, int, float) and everything else stays the text it was, so a
/// date-looking example or a version like `1.0` quoted in the source keeps its spelling.
enum OpenAPIDocumentParser {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static func parseJSON(_ data: Data) throws -> JSONValue {
        let value = try JSONDecoder().decode(JSONValue.self, from: data)
        try requireDocument(value)
        return value
    }

    static func parseYAML(_ data: Data) throws -> JSONValue {
        guard let text = String(data: data, encoding: .utf8) else { throw Invalid(description: "not UTF-8") }
        guard let node = try Yams.compose(yaml: text) else { throw Invalid(description: "empty YAML") }
        let value = convert(node)
        try requireDocument(value)
        return value
    }

    /// An object with an `openapi` version and `paths` (or at least `components`/`webhooks`).
    private static func requireDocument(_ value: JSONValue) throws {
        guard case .object(let members) = value, case .string(let version)? = members["openapi"], version.hasPrefix("3.") else {
            throw Invalid(description: "not an OpenAPI 3 document")
        }
    }

    static func convert(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch node.tag.rawValue {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case Tag.Name.int.rawValue: return node.int.map { .integer(Int64($0)) } ?? .string(scalar.string)
            case Tag.Name.float.rawValue:
                guard let number = node.float, number.isFinite else { return .string(scalar.string) }
                return .double(number)
            default: return .string(scalar.string)
            }
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                members[key.scalar?.string ?? key.string ?? ""] = convert(value)
            }
            return .object(members)
        case .sequence(let sequence):
            return .array(sequence.map(convert))
        case .alias:
            // The composer replaces aliases with the nodes they name; nothing is left to resolve.
            return .null
        }
    }
}
