import NIOCore
import NIOHTTP1

/// One request on its way through the gateway: what the client sent, where it goes, and how far
/// both directions have got. Lives on the client connection's event loop.
final class ProxyExchange: RateLimitWaiter {
    enum Phase {
        /// Authentication and rate limiting; the body (if any) waits, reads are paused.
        case admitting
        /// Waiting for an upstream connection.
        case connecting
        /// Head sent upstream; body parts flow both ways.
        case streaming
    }

    let request: HTTPRequestHead
    let route: ResolvedRoute
    /// The connection's handler while the exchange is its current one (cleared when it ends,
    /// which also breaks the reference cycle).
    var handler: GatewayHandler?
    let requestID: String
    let traceparent: String
    let start: NIODeadline
    var phase = Phase.admitting
    var identity: CallerIdentity?
    var rateLimit: RateLimitStatus?

    /// Body parts that arrived before the upstream connection was ready…
    var pendingBody: [ByteBuffer] = []
    /// …and whether the end did too (kept apart: most requests are a head and an end, and an
    /// array for the end alone cost an allocation per request).
    var pendingEnd = false
    var pendingTrailers: HTTPHeaders?
    var requestEnded = false
    var requestEndSent = false
    var bodyBytes: Int64 = 0
    var bodyBytesSent: Int64 = 0
    var expectsContinue = false

    var instance: UpstreamInstance?
    var connection: UpstreamConnection?
    var connectionReused = false
    var staleRetryUsed = false
    /// Instances tried (connect failed), not tried again for this request.
    var tried: [Int] = []
    /// Whether this request's result already went into the instance's circuit breaker.
    var outcomeRecorded = false

    /// The route's response timeout, watched by the loop's sweeper while `timeoutArmed`.
    let timeout: TimeAmount
    var timeoutArmed = false
    var lastActivity: NIODeadline
    var responseHead: HTTPResponseHead?
    var responseStatus = 0
    var closeClientAfterResponse = false

    /// The request asked to switch protocols: NIO stops parsing HTTP on that connection, so it
    /// closes after the answer unless it becomes a tunnel.
    var upgradeRequested = false
    /// A WebSocket handshake: sent upstream with its `Upgrade` on a fresh connection; a `101`
    /// turns both connections into a byte tunnel.
    var webSocket = false
    /// The token of an `access_token` query parameter (WebSocket handshakes only; removed from
    /// the target before forwarding).
    var queryToken: String?
    /// The upstream answered `101`: the tunnel opens when that response's head is complete.
    var switchingProtocols = false

    init(request: HTTPRequestHead, route: ResolvedRoute, requestID: String, traceparent: String) {
        self.request = request
        self.route = route
        self.requestID = requestID
        self.traceparent = traceparent
        self.start = .now()
        self.lastActivity = start
        self.timeout = .milliseconds(route.timeoutMilliseconds)
        self.expectsContinue = request.headers.first(name: "expect")?.lowercased() == "100-continue"
    }

    func rateLimitDecided(_ decision: RateLimitDecision) {
        handler?.rateLimitDecided(decision, for: self)
    }

    /// Safe to send again after a failure before any answer: no side effect is implied.
    var isIdempotent: Bool {
        switch request.method {
        case .GET, .HEAD, .OPTIONS, .PUT, .DELETE, .TRACE: return true
        default: return false
        }
    }

    /// Only reads: what an organization whose plan is read-only may still do.
    var isRead: Bool {
        switch request.method {
        case .GET, .HEAD, .OPTIONS: return true
        default: return false
        }
    }

    /// Records the outcome in the instance's breaker once per request.
    func recordOutcome(success: Bool) {
        guard !outcomeRecorded, let instance else { return }
        outcomeRecorded = true
        if success {
            instance.breaker.recordSuccess()
        } else {
            instance.breaker.recordFailure()
        }
    }
}
