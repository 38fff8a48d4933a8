/// Brute-force protection, on by default. Failed logins are counted per account (email) and
/// per client IP within `window`. From `delayAfter` failures an account must wait
/// `baseDelay × 2^(n − delayAfter)` (capped) after each failure before the next try (429), and
/// at `lockAfter` failures it is locked for `lockDuration` (423). An IP that fails
/// `ipLockAfter` times is refused for `lockDuration` (429), which stops one client spraying
/// many accounts.
struct LoginThrottlePolicy: Sendable, Hashable {
    var window: Int = 15 * 60
    var delayAfter: Int = 3
    var baseDelayMilliseconds: Int = 1000
    var maximumDelayMilliseconds: Int = 30_000
    var lockAfter: Int = 10
    var ipLockAfter: Int = 100
    var lockDuration: Int = 15 * 60
}
