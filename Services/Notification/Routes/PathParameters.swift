import ERPProtocol
import ERPServiceKit
import Hummingbird

/// The `{eventType}/{channel}/{locale}` parts of template and rule paths, checked.
struct TemplateKey {
    var eventType: String
    var channel: Channel
    var locale: String?

    /// Unknown event types and channels are 404 (no such resource), like an unknown id.
    init(_ context: ERPRequestContext, personalOnly: Bool, withLocale: Bool) throws {
        guard let type = context.parameters.get("eventType"), (try? EventType(type)) != nil || type == NotificationCatalogue.escalationEventType,
            let channelText = context.parameters.get("channel"), let channel = Channel(rawValue: channelText),
            !personalOnly || channel != .webhook
        else { throw ProblemDetails.notFound() }
        eventType = type
        self.channel = channel
        if withLocale {
            guard let locale = context.parameters.get("locale"), locale.range(of: "^[a-z]{2}(-[A-Z]{2})?$", options: .regularExpression) != nil else {
                throw ProblemDetails.notFound()
            }
            self.locale = locale
        }
    }
}
