import Foundation

/// A notification shown in the product (bell icon), and streamed live over the WebSocket.
struct InAppNotification: Sendable, Equatable, Codable {
    var id: UUID
    var sequence: Int64
    var eventType: String
    var title: String
    var body: String
    var createdAt: Date
    var readAt: Date?
}
