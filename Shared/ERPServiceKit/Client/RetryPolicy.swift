/// How often and how patiently a failed call is repeated: exponential backoff (base·2^(attempt−1),
/// capped) with jitter, so many clients retrying together spread out instead of hammering a
/// recovering service in lock-step.
public struct RetryPolicy: Sendable {
    /// How the capped exponential delay is randomized.
    public enum Jitter: Sendable, Hashable {
        /// A random wait in [0, delay]: spreads in-process retries best (AWS's "full jitter").
        case full
        /// The delay ± the fraction: for retries a user can be told about ("in about 2 minutes")
        /// that still shouldn't all fall due in the same second.
        case proportional(Double)
    }

    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var jitter: Jitter

    public init(maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(50), maxDelay: Duration = .seconds(1), jitter: Jitter = .full) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before attempt `attempt + 1` (attempt counts from 1).
    public func delay(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 20)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let ceilingNanoseconds = max(1, Int64(ceiling.components.seconds) * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000)
        switch jitter {
        case .full:
            return .nanoseconds(Int64.random(in: 0...ceilingNanoseconds))
        case .proportional(let fraction):
            let spread = min(max(fraction, 0), 1)
            return .nanoseconds(Int64(Double(ceilingNanoseconds) * Double.random(in: (1 - spread)...(1 + spread))))
        }
    }
}
