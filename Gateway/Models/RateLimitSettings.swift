/// How requests are limited (GCRA in Redis, see `RateLimit/`). Every limit is "requests per
/// `windowSeconds`", with a burst of the whole window's allowance.
struct RateLimitSettings: Sendable, Hashable {
    /// What to do when Redis cannot answer in time.
    enum FailureMode: String, Sendable, Hashable {
        /// Keep limiting with an in-process limiter (per replica, so looser than the shared one).
        case open
        /// Refuse with 503 until Redis answers again.
        case closed
    }

    var enabled: Bool
    var redisURL: String?
    var keyPrefix = "erp:gw:rl"
    var windowSeconds = 60
    /// Per organization when its plan says nothing (until the subscription service answers).
    var organizationDefault = 6000
    var perUser = 1200
    /// Anonymous callers on public routes, per client IP.
    var perIP = 300
    /// Anonymous callers on login, sign-up, reset and token routes, per client IP.
    var perIPSensitive = 30
    var failureMode = FailureMode.open
    /// How long one Redis round trip may take before the failure mode applies.
    var redisTimeoutMilliseconds: Int64 = 250
    /// How long after a Redis failure the gateway waits before trying to reconnect.
    var reconnectBackoffMilliseconds: Int64 = 1000
}
