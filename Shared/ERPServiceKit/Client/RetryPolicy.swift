/// How often and how patiently a failed call is repeated: exponential backoff with full jitter
/// (a random wait in [0, min(cap, base·2^attempt)]), so many clients retrying together spread out
/// instead of hammering a recovering service in lock-step.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(50), maxDelay: Duration = .seconds(1)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before attempt `attempt + 1` (attempt counts from 1).
    public func delay(afterAttempt attempt: Int) -> Duration {
        let exponent = min(attempt - 1, 20)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let ceilingNanoseconds = max(1, Int64(ceiling.components.seconds) * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000)
        return .nanoseconds(Int64.random(in: 0...ceilingNanoseconds))
    }
}
