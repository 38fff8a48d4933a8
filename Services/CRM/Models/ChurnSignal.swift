import Foundation

/// One reason to think a customer may be leaving: a stable code and a sentence for people.
struct ChurnSignal: Sendable, Hashable, Codable {
    enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        case noRecentActivity = "no_recent_activity"
        case noRecentPurchase = "no_recent_purchase"
        case recentLoss = "recent_loss"
        case overdueTasks = "overdue_tasks"
        case decliningValue = "declining_value"
    }

    var code: Code
    var reason: String
}
