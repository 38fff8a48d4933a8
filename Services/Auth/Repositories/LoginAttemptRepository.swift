import ERPCrypto
import ERPRedis
import Foundation

/// Failed-login counters and lockouts in Redis (see ``LoginThrottlePolicy``). Checks and
/// updates are Lua scripts, so concurrent attempts on several replicas count exactly.
struct LoginAttemptRepository: Sendable {
    let redis: RedisPool
    let prefix: String
    let policy: LoginThrottlePolicy

    enum Verdict: Sendable, Equatable {
        case allowed
        case accountLocked(retryAfter: Int)
        case ipLocked(retryAfter: Int)
        case delayed(retryAfter: Int)
    }

    enum FailureOutcome: Sendable, Equatable {
        case counted(failures: Int)
        case accountLocked(failures: Int)
        case ipLocked
    }

    /// Redis keys name a hash of the email, not the email.
    private func keys(account: String, ip: String) -> [String] {
        let accountKey = SHA256.hexDigest(Array(account.lowercased().utf8))
        return ["\(prefix):login-failures:account:\(accountKey)", "\(prefix):login-lock:account:\(accountKey)",
                "\(prefix):login-failures:ip:\(ip)", "\(prefix):login-lock:ip:\(ip)"]
    }

    private static let checkScript = RedisScript(
        """
        local t = redis.call('PTTL', KEYS[2])
        if t > 0 then return {'locked', t} end
        t = redis.call('PTTL', KEYS[4])
        if t > 0 then return {'ip_locked', t} end
        local f = redis.call('HMGET', KEYS[1], 'count', 'last')
        local n = tonumber(f[1] or '0')
        local after = tonumber(ARGV[2])
        if n >= after and f[2] then
          local delay = math.min(tonumber(ARGV[3]) * (2 ^ (n - after)), tonumber(ARGV[4]))
          local wait = tonumber(f[2]) + delay - tonumber(ARGV[1])
          if wait > 0 then return {'delayed', math.ceil(wait)} end
        end
        return {'ok', 0}
        """
    )

    private static let failScript = RedisScript(
        """
        local n = redis.call('HINCRBY', KEYS[1], 'count', 1)
        redis.call('HSET', KEYS[1], 'last', ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        local ipn = redis.call('HINCRBY', KEYS[3], 'count', 1)
        redis.call('PEXPIRE', KEYS[3], ARGV[2])
        local result = 'counted'
        if n >= tonumber(ARGV[3]) then
          redis.call('SET', KEYS[2], '1', 'PX', ARGV[5])
          redis.call('DEL', KEYS[1])
          result = 'locked'
        end
        if ipn >= tonumber(ARGV[4]) then
          redis.call('SET', KEYS[4], '1', 'PX', ARGV[5])
          redis.call('DEL', KEYS[3])
          if result ~= 'locked' then result = 'ip_locked' end
        end
        return {result, n}
        """
    )

    func check(account: String, ip: String, now: Date = Date()) async throws -> Verdict {
        let reply = try await redis.evaluate(
            Self.checkScript, keys: keys(account: account, ip: ip),
            arguments: [.init(Self.millis(now)), .init(policy.delayAfter), .init(policy.baseDelayMilliseconds), .init(policy.maximumDelayMilliseconds)]
        )
        guard let parts = reply.array, parts.count == 2, let verdict = parts[0].string else { return .allowed }
        let seconds = Int(((Double(parts[1].int ?? 0)) / 1000).rounded(.up))
        switch verdict {
        case "locked": return .accountLocked(retryAfter: max(1, seconds))
        case "ip_locked": return .ipLocked(retryAfter: max(1, seconds))
        case "delayed": return .delayed(retryAfter: max(1, seconds))
        default: return .allowed
        }
    }

    func recordFailure(account: String, ip: String, now: Date = Date()) async throws -> FailureOutcome {
        let reply = try await redis.evaluate(
            Self.failScript, keys: keys(account: account, ip: ip),
            arguments: [
                .init(Self.millis(now)), .init(policy.window * 1000), .init(policy.lockAfter), .init(policy.ipLockAfter), .init(policy.lockDuration * 1000),
            ]
        )
        let parts = reply.array ?? []
        let failures = Int(parts.count > 1 ? parts[1].int ?? 0 : 0)
        switch parts.first?.string {
        case "locked": return .accountLocked(failures: failures)
        case "ip_locked": return .ipLocked
        default: return .counted(failures: failures)
        }
    }

    /// A successful login clears the account's failures (the IP's stay: one good login must
    /// not reset a spraying client's count).
    func recordSuccess(account: String, ip: String) async throws {
        _ = try await redis.delete(keys(account: account, ip: ip)[0])
    }

    /// Counts a password-reset request for `account` in the current hour and returns the count,
    /// so the reset endpoint cannot be used to flood a mailbox.
    func recordResetRequest(account: String) async throws -> Int {
        let key = "\(prefix):reset-requests:\(SHA256.hexDigest(Array(account.lowercased().utf8)))"
        let count = try await redis.increment(key)
        if count == 1 { _ = try await redis.expire(key, in: .seconds(3600)) }
        return Int(count)
    }

    /// Forgets an account's failures and lock (after its password was reset by mail).
    func clear(account: String, ip: String) async throws {
        let keys = keys(account: account, ip: ip)
        _ = try await redis.delete([keys[0], keys[1]])
    }

    private static func millis(_ date: Date) -> Int { Int((date.timeIntervalSince1970 * 1000).rounded()) }
}
