import Foundation

/// Exponential backoff with jitter: base · 2^(attempt−1), capped, then ±20 % so endpoints that
/// failed together are not all retried in the same second.
enum RetryBackoff {
    static func delay(afterAttempt attempt: Int, base: Double, cap: Double, jitter: Double = Double.random(in: 0.8...1.2)) -> TimeInterval {
        min(cap, base * pow(2, Double(min(max(attempt - 1, 0), 30)))) * jitter
    }
}
