import ERPRedis

/// The generic cell rate algorithm over one or more keys, atomically in one Lua script, so every
/// gateway replica sharing the Redis sees the same state and the count is exact (no fixed-window
/// edges, no read-then-write race between replicas). Redis's own clock (`TIME`) is the only
/// clock, so replicas with skewed clocks still agree.
///
/// Per key `i`: `ARGV[2i-1]` is the emission interval T (µs between requests at the sustained
/// rate, window / limit) and `ARGV[2i]` the tolerance τ (window − T, so a full window's allowance
/// may arrive at once). The request is allowed only if every key allows it; then every key is
/// charged, otherwise none. The stored value is the theoretical arrival time (TAT, µs); it
/// expires when it is back in the past.
///
/// Returns `{allowed, remaining, resetMs, retryAfterMs, index}` for the most restrictive key
/// (1-based `index`).
enum GCRAScript {
    static let script = RedisScript(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local n = #KEYS
        local tats = {}
        local allowed = 1
        local retry = 0
        for i = 1, n do
          local interval = tonumber(ARGV[2 * i - 1])
          local tolerance = tonumber(ARGV[2 * i])
          local tat = tonumber(redis.call('GET', KEYS[i]) or now)
          if tat < now then tat = now end
          tats[i] = tat
          local wait = tat - tolerance - now
          if wait > 0 then
            allowed = 0
            if wait > retry then retry = wait end
          end
        end
        local best = -1
        local bestIndex = 1
        local bestReset = 0
        for i = 1, n do
          local interval = tonumber(ARGV[2 * i - 1])
          local tolerance = tonumber(ARGV[2 * i])
          local tat = tats[i]
          if allowed == 1 then
            tat = tat + interval
            redis.call('SET', KEYS[i], string.format('%d', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
          end
          local remaining = math.floor((tolerance - (tat - now)) / interval) + 1
          if remaining < 0 then remaining = 0 end
          if best < 0 or remaining < best then
            best = remaining
            bestIndex = i
            bestReset = tat - now
          end
        end
        return {allowed, best, math.ceil(bestReset / 1000), math.ceil(retry / 1000), bestIndex}
        """
    )
}
