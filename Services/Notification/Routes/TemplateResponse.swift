import Foundation
import Hummingbird

/// A template as the API shows it: the tenant's own (`source: tenant`, with id and version) or
/// the built-in default (`source: built_in`, version 0).
struct TemplateResponse: ResponseCodable {
    var eventType: String
    var channel: Channel
    var locale: String
    var subject: String
    var text: String
    var html: String?
    var source: String
    var id: UUID?
    var version: Int
    var updatedAt: Date?

    init(_ stored: TemplateRepository.Stored) {
        eventType = stored.eventType
        channel = stored.channel
        locale = stored.locale
        subject = stored.content.subject
        text = stored.content.text
        html = stored.content.html
        source = "tenant"
        id = stored.id
        version = stored.version
        updatedAt = stored.updatedAt
    }

    init(builtIn eventType: String, channel: Channel, content: TemplateContent) {
        self.eventType = eventType
        self.channel = channel
        locale = "en"
        subject = content.subject
        text = content.text
        html = content.html
        source = "built_in"
        version = 0
    }
}
