import NIOCore

/// What each event loop owns alone, so the data path needs no locks: its upstream connection
/// pool, its instance balancer, its verified-token cache, its Redis connection, its id generator
/// and its sweeper (timeouts).
final class LoopResources {
    let pool: UpstreamConnectionPool
    let balancer: UpstreamBalancer
    let tokens: VerifiedTokenCache
    let rateLimiter: LoopRateLimiter?
    let metrics = RequestMetrics()
    let ids = LoopIdentifiers()
    let sweeper: LoopSweeper
    /// Requests in flight on this loop (one counter per loop: a shared one was a cache line
    /// both loops wrote twice per request).
    let inFlight = InFlightCounter()

    init(pool: UpstreamConnectionPool, balancer: UpstreamBalancer, tokens: VerifiedTokenCache, rateLimiter: LoopRateLimiter?, sweeper: LoopSweeper) {
        self.pool = pool
        self.balancer = balancer
        self.tokens = tokens
        self.rateLimiter = rateLimiter
        self.sweeper = sweeper
    }
}

/// The `LoopResources` of every loop of the group, looked up by the loop a channel runs on.
struct LoopResourceTable: Sendable {
    private let table: [ObjectIdentifier: NIOLoopBound<LoopResources>]
    private let inFlightCounters: [InFlightCounter]

    init(_ table: [ObjectIdentifier: NIOLoopBound<LoopResources>], inFlightCounters: [InFlightCounter]) {
        self.table = table
        self.inFlightCounters = inFlightCounters
    }

    /// Requests in flight on all loops, for draining at shutdown.
    var requestsInFlight: Int { inFlightCounters.reduce(0) { $0 + $1.current } }

    /// The resources of `eventLoop`; call on that loop.
    func resources(for eventLoop: any EventLoop) -> LoopResources {
        guard let bound = table[ObjectIdentifier(eventLoop)] else {
            preconditionFailure("event loop without gateway resources")
        }
        return bound.value
    }

    /// Flushes every loop's request metrics (before `/metrics` answers, so it counts every
    /// request that was answered before it was asked).
    func flushMetrics(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        let flushes = table.values.map { bound in bound.eventLoop.submit { bound.value.metrics.flush() } }
        return EventLoopFuture.andAllComplete(flushes, on: eventLoop)
    }
}
