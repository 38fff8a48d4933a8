import Foundation

/// erp-notification: event rules, templates, preferences and deliveries over email (SMTP),
/// webhooks, in-app (WebSocket) and SMS, with retries and escalation.
@main
struct NotificationApp {
    static func main() async throws {
        let configuration: NotificationConfiguration
        do {
            configuration = try NotificationConfiguration()
        } catch {
            FileHandle.standardError.write(Data("erp-notification: \(error)\n".utf8))
            exit(78)  // EX_CONFIG
        }
        try await NotificationApplication.run(configuration: configuration)
    }
}
