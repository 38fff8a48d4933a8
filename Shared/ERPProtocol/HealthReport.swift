/// The body of `GET /health/ready`:
/// `{"checks":{"postgres":{"durationMs":3,"status":"ok"}},"status":"ok"}`.
///
/// `status` is the worst of the checks (`ok` < `degraded` < `unavailable`); ``httpStatus`` is
/// 503 only for `unavailable`, so a degraded service stays in the load balancer.
public struct HealthReport: Hashable, Sendable, Codable {
    /// Overall status.
    public var status: HealthStatus
    /// Each dependency's result, keyed by a fixed name (`postgres`, `redis`, `kafka`).
    public var checks: [String: HealthCheckResult]

    /// A report with an explicit overall status.
    public init(status: HealthStatus, checks: [String: HealthCheckResult]) {
        self.status = status
        self.checks = checks
    }

    /// A report whose overall status is the worst check's (`ok` when there are none).
    public init(checks: [String: HealthCheckResult]) {
        self.init(status: checks.values.map(\.status).max() ?? .ok, checks: checks)
    }

    /// The HTTP status to answer with: 503 when unavailable, else 200.
    public var httpStatus: Int { status == .unavailable ? 503 : 200 }
}
