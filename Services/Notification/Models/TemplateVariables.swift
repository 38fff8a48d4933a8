import ERPProtocol
import Foundation

/// The values a template is rendered with: the event's payload members, plus what every
/// template may use (`organizationName`, `recipientName`, `recipientEmail`, `eventTime`).
/// Money objects (`{"amountMinor":…,"currency":…}`) gain a `formatted` member (`USD 29.00`).
enum TemplateVariables {
    struct Common: Sendable {
        var organizationName: String
        var recipientName: String
        var recipientEmail: String
        var eventTime: Date
    }

    static let sampleCommon = Common(
        organizationName: "Acme Corp", recipientName: "Ada Lovelace", recipientEmail: "ada@example.com",
        eventTime: Date(timeIntervalSince1970: 1_767_225_600)
    )

    static func make(payload: JSONValue, common: Common) -> [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        if case .object(let members) = withFormattedMoney(payload) { values = members }
        // The payload's own organizationName (an invitation's) wins over the directory's.
        if values["organizationName"] == nil { values["organizationName"] = .string(common.organizationName) }
        values["recipientName"] = .string(common.recipientName)
        values["recipientEmail"] = .string(common.recipientEmail)
        values["eventTime"] = .string(common.eventTime.formatted(.iso8601))
        return values
    }

    private static func withFormattedMoney(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(var members):
            if case .integer(let minor)? = members["amountMinor"], case .string(let code)? = members["currency"],
                let currency = CurrencyCode(code)
            {
                members["formatted"] = .string(Money(amountMinor: minor, currency: currency).description)
                return .object(members)
            }
            return .object(members.mapValues(withFormattedMoney))
        case .array(let items):
            return .array(items.map(withFormattedMoney))
        default:
            return value
        }
    }

    /// The form swift-mustache renders: dictionaries, arrays, strings, numbers and booleans.
    static func renderable(_ value: JSONValue) -> Any {
        switch value {
        case .null: return ""
        case .bool(let flag): return flag
        case .integer(let number): return number
        case .double(let number): return number
        case .string(let text): return text
        case .array(let items): return items.map(renderable)
        case .object(let members):
            // A null member is left out, so `{{#member}}` sections stay closed and variables render empty.
            return members.filter { $0.value != .null }.mapValues(renderable)
        }
    }
}
