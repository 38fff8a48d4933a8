import Foundation

/// The payload of `erp.ai.query.completed`: one answered AI query. Subscription meters the
/// number of queries, the tokens and the users who asked.
public struct AIQueryCompleted: Codable, Sendable, Hashable {
    public var queryId: UUID
    /// Who asked (nil for automations running on their own).
    public var userId: UserID?
    public var model: String
    public var promptTokens: Int64
    public var completionTokens: Int64

    public init(queryId: UUID, userId: UserID?, model: String, promptTokens: Int64, completionTokens: Int64) {
        self.queryId = queryId
        self.userId = userId
        self.model = model
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}
