import ERPRedis
import Logging
import NIOCore

/// Who waits for a rate-limit decision (the exchange being admitted); called on the loop.
protocol RateLimitWaiter: AnyObject {
    func rateLimitDecided(_ decision: RateLimitDecision)
}

/// The rate limiter of one event loop: the shared GCRA script over this loop's Redis
/// connection, with the configured failure mode when Redis cannot answer.
///
/// Checks made during one loop iteration go to Redis as one batch (one script call): Redis then
/// pays its per-call cost (command parsing, script set-up, `TIME`) once per batch rather than
/// once per request, and a key several requests share is read and written once — on a busy
/// gateway, most of the limiter's cost in Redis.
final class LoopRateLimiter {
    private let eventLoop: any EventLoop
    private let redis: RedisPipelineClient
    private let fallback: LocalRateLimiter
    private let failureMode: RateLimitSettings.FailureMode
    private let logger: Logger
    private var redisHealthy = true
    /// Checks of this loop iteration, sent as one batch when the iteration's I/O is done.
    private var waiting: [Check] = []
    /// Requests per script call at most.
    private let maximumBatch = 256

    init(
        eventLoop: any EventLoop, redis: RedisPipelineClient, fallback: LocalRateLimiter, failureMode: RateLimitSettings.FailureMode,
        logger: Logger
    ) {
        self.eventLoop = eventLoop
        self.redis = redis
        self.fallback = fallback
        self.failureMode = failureMode
        self.logger = logger
    }

    /// One request's rules and who waits for the decision.
    private struct Check {
        let rules: [RateLimitRule]
        let waiter: any RateLimitWaiter
    }

    /// A batch on its way to Redis: the command and the checks it answers, in one object.
    private final class Batch: RedisCommand {
        let checks: [Check]
        let loadsScript: Bool
        unowned let limiter: LoopRateLimiter

        init(encoded: ByteBuffer, checks: [Check], loadsScript: Bool, limiter: LoopRateLimiter) {
            self.checks = checks
            self.loadsScript = loadsScript
            self.limiter = limiter
            super.init(encoded: encoded)
        }

        override func received(_ result: Result<RESPValue, any Error>) {
            limiter.received(result, for: self)
        }
    }

    /// Checks and charges `rules` (all or none); `waiter` hears the decision on this loop.
    func check(_ rules: [RateLimitRule], waiter: any RateLimitWaiter) {
        guard !rules.isEmpty else {
            waiter.rateLimitDecided(.allowed(RateLimitStatus(limit: 0, remaining: 0, resetSeconds: 0)))
            return
        }
        if waiting.isEmpty {
            // Tasks run after the iteration's I/O: every check of this iteration is in by then.
            eventLoop.assumeIsolated().execute { self.sendWaiting() }
        }
        waiting.append(Check(rules: rules, waiter: waiter))
    }

    private func sendWaiting() {
        let checks = waiting
        waiting.removeAll(keepingCapacity: true)
        var start = 0
        while start < checks.count {
            let batch = Array(checks[start..<min(start + maximumBatch, checks.count)])
            redis.send(Batch(encoded: encode(batch, loadingScript: false), checks: batch, loadsScript: false, limiter: self), flushNow: true)
            start += maximumBatch
        }
    }

    /// `EVALSHA` (or, when Redis does not know the script yet, `EVAL`) of the GCRA script for
    /// `checks`: every key, then the number of checks and per check its rule count and each
    /// rule's emission interval and tolerance.
    private func encode(_ checks: [Check], loadingScript: Bool) -> ByteBuffer {
        let script = GCRAScript.script
        let body = loadingScript ? script.source : script.sha1
        var keyCount = 0
        var keyBytes = 0
        for check in checks {
            keyCount += check.rules.count
            for rule in check.rules { keyBytes += rule.key.utf8.count }
        }
        var buffer = redis.allocator.buffer(capacity: 64 + body.utf8.count + keyBytes + keyCount * 56 + checks.count * 8)
        buffer.writeRESPArrayHeader(count: 3 + keyCount + 1 + checks.count + 2 * keyCount)
        buffer.writeRESPBulk(loadingScript ? "EVAL" : "EVALSHA")
        buffer.writeRESPBulk(body)
        buffer.writeRESPBulk(Int64(keyCount))
        for check in checks {
            for rule in check.rules { buffer.writeRESPBulk(rule.key) }
        }
        buffer.writeRESPBulk(Int64(checks.count))
        for check in checks {
            buffer.writeRESPBulk(Int64(check.rules.count))
            for rule in check.rules {
                buffer.writeRESPBulk(rule.emissionIntervalMicroseconds)
                buffer.writeRESPBulk(rule.toleranceMicroseconds)
            }
        }
        return buffer
    }

    private func received(_ result: Result<RESPValue, any Error>, for batch: Batch) {
        switch result {
        case .success(.error(let message)) where message.hasPrefix("NOSCRIPT") && !batch.loadsScript:
            // First use, a restarted Redis or `SCRIPT FLUSH`: load it with the same call.
            redis.send(Batch(encoded: encode(batch.checks, loadingScript: true), checks: batch.checks, loadsScript: true, limiter: self))
        case .success(.array(let values?)) where values.count == 5 * batch.checks.count:
            if !redisHealthy {
                redisHealthy = true
                logger.info("rate limiter reached Redis again")
            }
            for (position, check) in batch.checks.enumerated() {
                check.waiter.rateLimitDecided(Self.decision(values, at: position * 5, rules: check.rules))
            }
        default:
            if redisHealthy {
                redisHealthy = false
                logger.warning("rate limiter cannot reach Redis", metadata: ["erp.rate_limit.failure_mode": .string(failureMode.rawValue)])
            }
            for check in batch.checks {
                switch failureMode {
                case .open: check.waiter.rateLimitDecided(fallback.check(check.rules))
                case .closed: check.waiter.rateLimitDecided(.unavailable)
                }
            }
        }
    }

    /// One request's answer: `allowed, remaining, resetMs, retryAfterMs, index` from `offset`.
    private static func decision(_ values: [RESPValue], at offset: Int, rules: [RateLimitRule]) -> RateLimitDecision {
        let index = min(max(Int(values[offset + 4].integer ?? 1), 1), rules.count) - 1
        let status = RateLimitStatus(
            limit: rules[index].limit, remaining: Int(values[offset + 1].integer ?? 0),
            resetSeconds: Int(((values[offset + 2].integer ?? 0) + 999) / 1000))
        if values[offset].integer == 1 { return .allowed(status) }
        return .limited(status, retryAfterSeconds: Int(((values[offset + 3].integer ?? 0) + 999) / 1000))
    }

    func close() {
        redis.close()
    }
}
