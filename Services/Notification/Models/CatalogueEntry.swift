import ERPProtocol

/// What the service knows about one event type it can notify about: the variables its templates
/// may use (with sample values for previews and for checking templates at save time), where
/// the event names its recipient, and the built-in rules and English templates.
struct CatalogueEntry: Sendable {
    struct BuiltInRule: Sendable {
        var channel: Channel
        var audience: Audience
        var transactional: Bool
    }

    var eventType: String
    /// The payload as the event carries it, with plausible values.
    var samplePayload: [String: JSONValue]
    /// The payload member holding the recipient's email for `Audience.event`.
    var addressField: String?
    var userIDField: String?
    var nameField: String?
    var localeField: String?
    var rules: [BuiltInRule]
    var templates: [Channel: TemplateContent]

    /// Every variable a template of this event type may use, with its sample value.
    var sampleVariables: [String: JSONValue] {
        TemplateVariables.make(payload: .object(samplePayload), common: TemplateVariables.sampleCommon)
    }
}
