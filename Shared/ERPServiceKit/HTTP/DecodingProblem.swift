import ERPProtocol
import Foundation

/// Explains a `DecodingError` to the caller as a 400: which field is missing or has the wrong
/// type, or that the body is not JSON at all. Never echoes the body back.
enum DecodingProblem {
    static func problem(for error: DecodingError) -> ProblemDetails {
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .validation([.required(field)])
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return .validation([.invalid(field, message: "Expected \(describe(type)).")])
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return .validation([.invalid(field, message: "Expected \(describe(type)), found null.")])
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .malformedJSON(detail: "The request body is not valid JSON.")
            }
            return .validation([.invalid(path(context.codingPath), message: context.debugDescription)])
        @unknown default:
            return .malformedJSON(detail: "The request body could not be read.")
        }
    }

    /// Dotted path as documented for `FieldIssue.field` (array positions as numbers: `lines.2.amount`).
    static func path(_ codingPath: [any CodingKey]) -> String {
        let parts = codingPath.map { key in key.intValue.map(String.init) ?? key.stringValue }
        return parts.isEmpty ? "body" : parts.joined(separator: ".")
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "a boolean"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a valid value"
        }
    }
}
