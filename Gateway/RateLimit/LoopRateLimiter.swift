import Logging
import NIOCore

/// The rate limiter of one event loop: the shared GCRA script over this loop's Redis
/// connection, with the configured failure mode when Redis cannot answer.
final class LoopRateLimiter {
    private let redis: RedisPipelineClient
    private let fallback: LocalRateLimiter
    private let failureMode: RateLimitSettings.FailureMode
    private let logger: Logger
    private var redisHealthy = true

    init(redis: RedisPipelineClient, fallback: LocalRateLimiter, failureMode: RateLimitSettings.FailureMode, logger: Logger) {
        self.redis = redis
        self.fallback = fallback
        self.failureMode = failureMode
        self.logger = logger
    }

    /// Checks and charges `rules` (all or none); `completion` runs on this loop.
    func check(_ rules: [RateLimitRule], completion: @escaping (RateLimitDecision) -> Void) {
        guard !rules.isEmpty else {
            completion(.allowed(RateLimitStatus(limit: 0, remaining: 0, resetSeconds: 0)))
            return
        }
        var arguments: [String] = []
        arguments.reserveCapacity(rules.count * 2)
        for rule in rules {
            arguments.append(String(rule.emissionIntervalMicroseconds))
            arguments.append(String(rule.toleranceMicroseconds))
        }
        redis.evaluate(GCRAScript.script, keys: rules.map(\.key), arguments: arguments) { result in
            switch result {
            case .success(.array(let values?)) where values.count == 5:
                if !self.redisHealthy {
                    self.redisHealthy = true
                    self.logger.info("rate limiter reached Redis again")
                }
                let index = min(max(Int(values[4].integer ?? 1), 1), rules.count) - 1
                let status = RateLimitStatus(
                    limit: rules[index].limit, remaining: Int(values[1].integer ?? 0),
                    resetSeconds: Int(((values[2].integer ?? 0) + 999) / 1000))
                if values[0].integer == 1 {
                    completion(.allowed(status))
                } else {
                    completion(.limited(status, retryAfterSeconds: Int(((values[3].integer ?? 0) + 999) / 1000)))
                }
            default:
                if self.redisHealthy {
                    self.redisHealthy = false
                    self.logger.warning("rate limiter cannot reach Redis", metadata: ["erp.rate_limit.failure_mode": .string(self.failureMode.rawValue)])
                }
                switch self.failureMode {
                case .open: completion(self.fallback.check(rules))
                case .closed: completion(.unavailable)
                }
            }
        }
    }

    func close() {
        redis.close()
    }
}
