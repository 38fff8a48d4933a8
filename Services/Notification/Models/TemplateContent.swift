/// The three parts of a message template (Mustache). SMS and in-app use `subject` as the title
/// and `text` as the body; `html` is for email only.
struct TemplateContent: Sendable, Equatable, Codable {
    var subject: String
    var text: String
    var html: String?
}
