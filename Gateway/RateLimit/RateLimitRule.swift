/// One limit applied to one key: `limit` requests per `windowSeconds`, a whole window's worth
/// allowed as a burst.
struct RateLimitRule: Sendable, Hashable {
    let key: String
    let limit: Int
    let windowSeconds: Int

    /// T: microseconds between requests at the sustained rate.
    var emissionIntervalMicroseconds: Int64 { max(1, Int64(windowSeconds) * 1_000_000 / Int64(limit)) }

    /// τ: how far ahead of now the theoretical arrival time may run (window − T).
    var toleranceMicroseconds: Int64 { Int64(windowSeconds) * 1_000_000 - emissionIntervalMicroseconds }
}
