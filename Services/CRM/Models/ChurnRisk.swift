import Foundation

/// How likely a customer is to leave, from how many churn signals it shows.
enum ChurnRisk: String, Sendable, Hashable, Codable, CaseIterable {
    case high, medium, low, none

    /// 3 or more signals `high`, 2 `medium`, 1 `low`, none `none`.
    init(signalCount: Int) {
        switch signalCount {
        case 3...: self = .high
        case 2: self = .medium
        case 1: self = .low
        default: self = .none
        }
    }

    /// Orders risks for sorting: `none` 0 … `high` 3.
    var rank: Int {
        switch self {
        case .none: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        }
    }
}
