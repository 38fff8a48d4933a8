/// A template rendered for one recipient.
struct RenderedMessage: Sendable, Equatable, Codable {
    var subject: String
    var text: String
    var html: String?
}
