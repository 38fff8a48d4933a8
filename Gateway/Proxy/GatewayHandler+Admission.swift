import ERPServiceKit
import Foundation
import NIOCore
import NIOHTTP1

// Admission: token, rate limit, upstream connection — each step may complete later on this loop;
// a step whose exchange is no longer current (the client left) does nothing.
extension GatewayHandler {
    func admit(_ exchange: ProxyExchange) {
        guard let verifier = shared.verifier, !exchange.route.isPublic else {
            limit(exchange)
            return
        }
        // The cache is keyed by the whole `Authorization` value (or the query token), so a hit
        // costs a lookup and no copy of the token.
        let header = exchange.request.headers.first(name: "authorization").flatMap { BearerToken.hasBearerScheme($0) ? $0 : nil }
        guard let cacheKey = header ?? exchange.queryToken else {
            fail(exchange, .unauthenticated(.missingToken))
            return
        }
        if let identity = resources.tokens.identity(for: cacheKey) {
            exchange.identity = identity
            limit(exchange)
            return
        }
        guard let token = header.flatMap(BearerToken.extract) ?? exchange.queryToken else {
            fail(exchange, .unauthenticated(.missingToken))
            return
        }
        context.eventLoop.makeFutureWithTask {
            try await verifier.verify(token)
        }.assumeIsolated().whenComplete { result in
            guard self.exchange === exchange else { return }
            switch result {
            case .success(let claims):
                let identity = CallerIdentity(
                    organization: claims.org.description, subject: claims.sub, keyPrefix: self.shared.rateLimitPolicy?.settings.keyPrefix ?? "")
                self.resources.tokens.insert(cacheKey, claims: claims, identity: identity)
                exchange.identity = identity
                self.limit(exchange)
            case .failure(let error):
                self.fail(exchange, .unauthenticated(error as? AuthenticationError ?? .malformedToken))
            }
        }
    }

    func limit(_ exchange: ProxyExchange) {
        if !exchange.isRead, let plans = shared.plans, let identity = exchange.identity,
            !GatewayShared.writableWhenReadOnly.contains(exchange.route.service.name),
            plans.isReadOnly(organization: identity.organization)
        {
            fail(exchange, .subscriptionReadOnly)
            return
        }
        guard let policy = shared.rateLimitPolicy, let limiter = resources.rateLimiter else {
            connect(exchange)
            return
        }
        let rules = policy.rules(identity: exchange.identity, clientIP: limitedAddress(exchange.request), route: exchange.route)
        limiter.check(rules, waiter: exchange)
    }

    /// The limiter's answer for `exchange` (via `ProxyExchange.rateLimitDecided`).
    func rateLimitDecided(_ decision: RateLimitDecision, for exchange: ProxyExchange) {
        guard self.exchange === exchange else { return }
        switch decision {
        case .allowed(let status):
            exchange.rateLimit = status
            connect(exchange)
        case .limited(let status, let retryAfter):
            exchange.rateLimit = status
            fail(exchange, .rateLimited(retryAfterSeconds: retryAfter))
        case .unavailable:
            fail(exchange, .rateLimiterUnavailable)
        }
    }

    /// The address anonymous limits count against: the peer, or behind a trusted load balancer
    /// the last `X-Forwarded-For` hop (the one that balancer added; earlier hops are the caller's word).
    private func limitedAddress(_ request: HTTPRequestHead) -> String {
        guard shared.trustForwardedHeaders, let header = request.headers["x-forwarded-for"].last,
            let last = header.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        else { return clientIP }
        return last
    }

    func connect(_ exchange: ProxyExchange) {
        exchange.phase = .connecting
        let instance: UpstreamInstance
        switch resources.balancer.pick(exchange.route.service, excluding: exchange.tried) {
        case .instance(let picked): instance = picked
        case .allCircuitsOpen: return fail(exchange, .circuitOpen)
        case .noneAvailable: return fail(exchange, .upstreamUnavailable)
        }
        exchange.instance = instance
        exchange.outcomeRecorded = false
        if !exchange.webSocket, let connection = resources.pool.takeIdle(instance) {
            exchange.connection = connection
            exchange.connectionReused = true
            attach(exchange, to: connection)
            return
        }
        // A WebSocket connection becomes the tunnel's: always a fresh one, never back to the pool.
        resources.pool.lease(instance, fresh: exchange.webSocket) { result, reused in
            guard self.exchange === exchange, exchange.phase == .connecting, exchange.instance === instance else {
                // The client left meanwhile: an unused connection is as good as new.
                if case .success(let connection) = result { self.resources.pool.release(connection) }
                if exchange.instance === instance {
                    self.resources.balancer.finished(instance)
                    exchange.instance = nil
                    if case .failure = result { instance.breaker.recordFailure() } else { instance.breaker.recordSuccess() }
                }
                return
            }
            switch result {
            case .success(let connection):
                exchange.connection = connection
                exchange.connectionReused = reused
                self.attach(exchange, to: connection)
            case .failure:
                self.shared.logger.debug("upstream connect failed", metadata: ["erp.upstream": .string(instance.address.description)])
                exchange.outcomeRecorded = true
                instance.breaker.recordFailure()
                self.resources.metrics.upstreamFailure(instance, reason: "connect")
                self.resources.balancer.finished(instance)
                exchange.instance = nil
                exchange.tried.append(instance.id)
                // Nothing reached the service, but only idempotent requests are retried: the
                // rule stays simple for callers to reason about.
                if exchange.isIdempotent {
                    self.connect(exchange)
                } else {
                    self.fail(exchange, .upstreamUnavailable)
                }
            }
        }
    }

    /// Sends the head and whatever body already arrived, then lets the client's body flow.
    func attach(_ exchange: ProxyExchange, to connection: UpstreamConnection) {
        exchange.phase = .streaming
        connection.lease(to: self)
        var head = ProxyHeaders.upstreamRequest(
            from: exchange.request, uri: exchange.route.upstreamURI, requestID: exchange.requestID,
            traceparent: exchange.traceparent, clientIP: clientIP, trustForwarded: shared.trustForwardedHeaders)
        if exchange.webSocket {
            // Hop-by-hop, so dropped above; the handshake needs them on this hop too.
            head.headers.add(name: "connection", value: "upgrade")
            head.headers.add(name: "upgrade", value: "websocket")
            // A token that came in the query goes on as a header, the way services read it.
            if let token = exchange.queryToken, !head.headers.contains(name: "authorization") {
                head.headers.add(name: "authorization", value: "Bearer \(token)")
            }
        }
        connection.write(.head(head))
        for buffer in exchange.pendingBody {
            exchange.bodyBytesSent += Int64(buffer.readableBytes)
            connection.write(.body(.byteBuffer(buffer)))
        }
        exchange.pendingBody = []
        if exchange.pendingEnd {
            exchange.pendingEnd = false
            exchange.requestEndSent = true
            connection.write(.end(exchange.pendingTrailers))
            exchange.pendingTrailers = nil
        }
        connection.flush()
        exchange.lastActivity = .now()
        armTimer(exchange)
        if !exchange.requestEnded {
            if exchange.expectsContinue {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: exchange.request.version, status: .continue))), promise: nil)
            }
            if connection.isWritable { resumeReads() }
        }
    }

    /// The response timeout: the upstream must start answering (and keep answering) within the
    /// route's timeout of the last byte moved. Watched by the loop's sweeper (`sweep(now:)`).
    func armTimer(_ exchange: ProxyExchange) {
        exchange.timeoutArmed = true
    }

    func timedOut(_ exchange: ProxyExchange) {
        exchange.timeoutArmed = false
        exchange.recordOutcome(success: false)
        if let instance = exchange.instance { resources.metrics.upstreamFailure(instance, reason: "timeout") }
        shared.logger.warning(
            "upstream timed out",
            metadata: ["erp.upstream": .string(exchange.instance?.address.description ?? "-"), "erp.request.id": .string(exchange.requestID)])
        fail(exchange, .upstreamTimeout)
    }
}
