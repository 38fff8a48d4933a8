import Foundation
import Synchronization

/// The same GCRA as the Redis script, in this process only: the fallback while Redis is
/// unreachable (fail-open). Each replica limits on its own then, so the fleet-wide allowance is
/// up to `replicas ×` the limit — looser, but the gateway keeps protecting the services.
final class LocalRateLimiter: Sendable {
    private let state = Mutex<[String: Int64]>([:])
    private let maxKeys: Int

    init(maxKeys: Int = 100_000) {
        self.maxKeys = maxKeys
    }

    func check(_ rules: [RateLimitRule], now: Int64 = LocalRateLimiter.nowMicroseconds()) -> RateLimitDecision {
        state.withLock { tats in
            if tats.count > maxKeys { tats = tats.filter { $0.value > now } }
            var allowed = true
            var retry: Int64 = 0
            var current: [Int64] = []
            for rule in rules {
                let tat = max(tats[rule.key] ?? now, now)
                current.append(tat)
                let wait = tat - rule.toleranceMicroseconds - now
                if wait > 0 {
                    allowed = false
                    retry = max(retry, wait)
                }
            }
            var best: (remaining: Int64, rule: RateLimitRule, reset: Int64)?
            for (index, rule) in rules.enumerated() {
                var tat = current[index]
                if allowed {
                    tat += rule.emissionIntervalMicroseconds
                    tats[rule.key] = tat
                }
                let headroom = rule.toleranceMicroseconds - (tat - now)
                let remaining = headroom < 0 ? 0 : headroom / rule.emissionIntervalMicroseconds + 1
                if best == nil || remaining < best!.remaining { best = (remaining, rule, tat - now) }
            }
            guard let best else { return .allowed(RateLimitStatus(limit: 0, remaining: 0, resetSeconds: 0)) }
            let status = RateLimitStatus(limit: best.rule.limit, remaining: Int(best.remaining), resetSeconds: Int((best.reset + 999_999) / 1_000_000))
            return allowed ? .allowed(status) : .limited(status, retryAfterSeconds: Int((retry + 999_999) / 1_000_000))
        }
    }

    static func nowMicroseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1_000_000)
    }
}
