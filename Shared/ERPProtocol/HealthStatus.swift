/// A health state, ordered from best to worst.
public enum HealthStatus: String, Hashable, Sendable, Codable, Comparable, CaseIterable {
    /// Working normally.
    case ok
    /// Working with reduced function (e.g. an optional dependency is down).
    case degraded
    /// Not able to serve.
    case unavailable

    private var severity: Int {
        switch self {
        case .ok: 0
        case .degraded: 1
        case .unavailable: 2
        }
    }

    public static func < (lhs: HealthStatus, rhs: HealthStatus) -> Bool { lhs.severity < rhs.severity }
}
