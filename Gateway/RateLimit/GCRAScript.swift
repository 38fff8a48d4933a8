import ERPRedis

/// The generic cell rate algorithm in one Lua script, so every gateway replica sharing the Redis
/// sees the same state and the count is exact (no fixed-window edges, no read-then-write race
/// between replicas). Redis's own clock (`TIME`) is the only clock, so replicas with skewed
/// clocks still agree.
///
/// One call checks a batch of requests (all a loop admitted in one iteration), one after the
/// other, each atomically over its keys: a request is allowed only if every key allows it; then
/// every key is charged, otherwise none. `ARGV[1]` is the number of requests; then per request
/// the number of its keys `n`, followed by `n` pairs of emission interval T (µs between requests
/// at the sustained rate, window / limit) and tolerance τ (window − T, so a full window's
/// allowance may arrive at once). `KEYS` are all requests' keys in order. The stored value is
/// the theoretical arrival time (TAT, µs); it expires when it is back in the past. A key used by
/// several requests of a batch is read once and written once.
///
/// Returns, per request, `allowed, remaining, resetMs, retryAfterMs, index` for its most
/// restrictive key (1-based `index`), flattened into one array.
enum GCRAScript {
    static let script = RedisScript(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local tats = {}
        local dirty = {}
        local out = {}
        local k = 0
        local a = 2
        for c = 1, tonumber(ARGV[1]) do
          local n = tonumber(ARGV[a])
          a = a + 1
          local allowed = 1
          local retry = 0
          for i = 1, n do
            local key = KEYS[k + i]
            local tat = tats[key]
            if tat == nil then
              tat = tonumber(redis.call('GET', key) or now)
              if tat < now then tat = now end
              tats[key] = tat
            end
            local wait = tat - tonumber(ARGV[a + 2 * i - 1]) - now
            if wait > 0 then
              allowed = 0
              if wait > retry then retry = wait end
            end
          end
          local best = -1
          local bestIndex = 1
          local bestReset = 0
          for i = 1, n do
            local key = KEYS[k + i]
            local interval = tonumber(ARGV[a + 2 * i - 2])
            local tolerance = tonumber(ARGV[a + 2 * i - 1])
            local tat = tats[key]
            if allowed == 1 then
              tat = tat + interval
              tats[key] = tat
              dirty[key] = true
            end
            local remaining = math.floor((tolerance - (tat - now)) / interval) + 1
            if remaining < 0 then remaining = 0 end
            if best < 0 or remaining < best then
              best = remaining
              bestIndex = i
              bestReset = tat - now
            end
          end
          out[#out + 1] = allowed
          out[#out + 1] = best
          out[#out + 1] = math.ceil(bestReset / 1000)
          out[#out + 1] = math.ceil(retry / 1000)
          out[#out + 1] = bestIndex
          k = k + n
          a = a + 2 * n
        end
        for key in pairs(dirty) do
          local tat = tats[key]
          redis.call('SET', key, string.format('%d', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
        end
        return out
        """
    )
}
