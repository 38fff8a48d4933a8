import NIOCore

/// What each event loop owns alone, so the data path needs no locks: its upstream connection
/// pool, its instance balancer, its verified-token cache, its Redis connection and its id generator.
final class LoopResources {
    let pool: UpstreamConnectionPool
    let balancer: UpstreamBalancer
    let tokens: VerifiedTokenCache
    let rateLimiter: LoopRateLimiter?
    let metrics = RequestMetrics()
    let ids = LoopIdentifiers()

    init(pool: UpstreamConnectionPool, balancer: UpstreamBalancer, tokens: VerifiedTokenCache, rateLimiter: LoopRateLimiter?) {
        self.pool = pool
        self.balancer = balancer
        self.tokens = tokens
        self.rateLimiter = rateLimiter
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
}
