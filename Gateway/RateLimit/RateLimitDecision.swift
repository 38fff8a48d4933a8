/// What the limiter concluded for one request.
enum RateLimitDecision {
    /// Go ahead; the headers describe the most restrictive limit.
    case allowed(RateLimitStatus)
    /// Refuse with 429 and `Retry-After`.
    case limited(RateLimitStatus, retryAfterSeconds: Int)
    /// Redis did not answer and the failure mode is closed: refuse with 503.
    case unavailable
}

/// The `RateLimit-*` header values (draft-ietf-httpapi-ratelimit-headers).
struct RateLimitStatus {
    let limit: Int
    let remaining: Int
    /// Seconds until the allowance is full again.
    let resetSeconds: Int
}
