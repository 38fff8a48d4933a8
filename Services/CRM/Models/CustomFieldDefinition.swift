import ERPProtocol
import Foundation

/// A tenant's typed custom field on one record type (`entity`), e.g. a `select` "Tier" on
/// companies with options gold/silver/bronze. Values are validated against it on every write.
struct CustomFieldDefinition: Sendable, Hashable {
    enum FieldType: String, Sendable, Hashable, Codable, CaseIterable {
        case text, number, integer, boolean, date, select
        case multiSelect = "multi_select"
        case url, email
    }

    @LowercaseUUID var id: UUID
    var entity: RecordType
    var key: String
    var label: String
    var type: FieldType
    var options: [String]
    var required: Bool
    var position: Int
    var version: Int64
    var createdAt: Date
    var updatedAt: Date

    static func isValidKey(_ key: String) -> Bool {
        key.range(of: "^[a-z][a-z0-9_]{0,39}$", options: .regularExpression) != nil
    }

    /// Checks one value against this definition; returns the value to store (normalized) or
    /// records an issue on `field`.
    func validate(_ value: JSONValue, field: String, into validator: inout FieldValidator) -> JSONValue? {
        func invalid(_ message: String) -> JSONValue? {
            validator.add(.invalid(field, message: message))
            return nil
        }
        switch (type, value) {
        case (_, .null):
            return nil
        case (.text, .string(let text)):
            return text.count <= 1000 ? .string(text) : invalid("At most 1000 characters.")
        case (.number, .integer), (.number, .double):
            if case .double(let number) = value, !number.isFinite { return invalid("A finite number.") }
            return value
        case (.integer, .integer):
            return value
        case (.integer, .double(let number)) where number.rounded() == number && abs(number) < 9.0e15:
            return .integer(Int64(number))
        case (.boolean, .bool):
            return value
        case (.date, .string(let text)):
            return CalendarDate(text) != nil ? value : invalid("A date as YYYY-MM-DD.")
        case (.select, .string(let option)):
            return options.contains(option) ? value : invalid("One of: \(options.joined(separator: ", ")).")
        case (.multiSelect, .array(let elements)):
            var chosen: [String] = []
            for element in elements {
                guard case .string(let option) = element, options.contains(option) else {
                    return invalid("A list of: \(options.joined(separator: ", ")).")
                }
                if !chosen.contains(option) { chosen.append(option) }
            }
            return .array(chosen.map(JSONValue.string))
        case (.url, .string(let text)):
            return validator.url(text, field: field).map(JSONValue.string)
        case (.email, .string(let text)):
            return Normalize.email(text).map(JSONValue.string) ?? invalid("An email address.")
        default:
            return invalid("Expected a \(type.rawValue) value.")
        }
    }
}

/// Validates a record's custom field values against the tenant's definitions for its type.
enum CustomFieldValues {
    /// The values to store: unknown keys, wrong types and missing required fields are issues
    /// under `customFields.<key>`; `null` removes a value.
    static func validate(
        _ values: [String: JSONValue], definitions: [CustomFieldDefinition], into validator: inout FieldValidator, field: String = "customFields"
    ) -> [String: JSONValue] {
        let byKey = Dictionary(uniqueKeysWithValues: definitions.map { ($0.key, $0) })
        var result: [String: JSONValue] = [:]
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let definition = byKey[key] else {
                validator.add(FieldIssue(field: "\(field).\(key)", code: "unknown_field", message: "No custom field \(key) is defined for this record type."))
                continue
            }
            if let stored = definition.validate(value, field: "\(field).\(key)", into: &validator) {
                result[key] = stored
            }
        }
        for definition in definitions where definition.required && result[definition.key] == nil {
            validator.add(.required("\(field).\(definition.key)"))
        }
        return result
    }
}
