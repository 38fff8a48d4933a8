/// One dependency's check: `{"durationMs":3,"status":"ok"}`, plus `"error"` when it failed.
///
/// `error` is omitted when `nil`; it is a short fixed description (`connection refused`),
/// never a connection string or credential.
public struct HealthCheckResult: Hashable, Sendable, Codable {
    /// The dependency's state.
    public var status: HealthStatus
    /// How long the check took, in whole milliseconds.
    public var durationMs: Int
    /// Why it is not ok, if it is not.
    public var error: String?

    /// A check result; pass `error` only when the status is not `ok`.
    public init(status: HealthStatus, durationMs: Int, error: String? = nil) {
        self.status = status
        self.durationMs = durationMs
        self.error = error
    }
}
