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

    init(_ table: [ObjectIdentifier: NIOLoopBound<LoopResources>]) {
        self.table = table
    }

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
