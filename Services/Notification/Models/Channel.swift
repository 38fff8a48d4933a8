/// Where a message goes.
enum Channel: String, Codable, Sendable, CaseIterable {
    case email
    case inApp = "in_app"
    case sms
    case webhook

    /// Channels with templates and preferences (webhooks send the event itself).
    static let personal: [Channel] = [.email, .inApp, .sms]
}
