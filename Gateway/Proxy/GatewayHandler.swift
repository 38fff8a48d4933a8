import ERPServiceKit
import Logging
import NIOCore
import NIOHTTP1

/// The proxy data path for one client connection, right after NIO's HTTP/1 decoder and encoder
/// (nothing else: it does the pipelining, idle and protocol-error handling NIO's extra server
/// handlers would, which saves their per-message cost and two `epoll_ctl` calls per request):
/// each request is answered locally (health, metrics), refused (problem+json), or admitted —
/// token checked, rate limited — and streamed to an upstream connection on the same event loop,
/// part by part, without async/await.
///
/// Pipelined requests (HTTP/1.1 lets a client send the next request before the answer) wait in
/// `queued`, with reads held, until the response before them is complete.
///
/// Back-pressure both ways: the handler holds the client's `read()` while the upstream cannot
/// take more (or is not connected yet), and the upstream connection holds its reads while the
/// client cannot take more, so a 100 MB body moves through a few socket buffers, not memory.
final class GatewayHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let shared: GatewayShared
    let resources: LoopResources
    /// Every loop's resources (only `/metrics` looks beyond this loop).
    let allLoops: LoopResourceTable
    var context: ChannelHandlerContext!
    var exchange: ProxyExchange?
    var clientIP = "unknown"
    /// After an answer that did not need the body: drop body parts until the request ends.
    var discardingBody = false
    private var readsPaused = false
    private var readPending = false
    var upstreamNeedsFlush = false
    /// Position in the loop's sweeper (-1: not registered).
    var sweepIndex = -1
    /// Since when the connection has had no exchange (keep-alive idle timeout).
    var idleSince = NIODeadline.now()
    /// A request's head arrived and its response has not ended yet.
    var responsePending = false
    /// The current request's response head went out (a protocol error can then only close).
    var responseStarted = false
    /// Parts of pipelined requests, from the first head that had to wait.
    private var queued = CircularBuffer<HTTPServerRequestPart>()

    init(shared: GatewayShared, resources: LoopResources, allLoops: LoopResourceTable) {
        self.shared = shared
        self.resources = resources
        self.allLoops = allLoops
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if let address = context.channel.remoteAddress?.ipAddress { clientIP = address }
        resources.sweeper.register(self)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        resources.sweeper.unregister(self)
        abandonExchange()
        self.context = nil
    }

    /// The loop's sweeper, every few milliseconds: the exchange's response timeout, or the
    /// keep-alive idle timeout of a connection without one.
    func sweep(now: NIODeadline) {
        if let exchange {
            if exchange.timeoutArmed && now >= exchange.lastActivity + exchange.timeout { timedOut(exchange) }
        } else if !responsePending && now >= idleSince + shared.clientIdleTimeout {
            // Idle keep-alive connections are closed; busy ones are governed by the route timeouts.
            context?.close(promise: nil)
        }
    }

    // MARK: Client → gateway

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if !queued.isEmpty {
            queued.append(part)
            return
        }
        if case .head = part, responsePending {
            queued.append(part)
            pauseReads()
            return
        }
        dispatch(part)
    }

    private func dispatch(_ part: HTTPServerRequestPart) {
        switch part {
        case .head(let head):
            receivedHead(head)
        case .body(let buffer):
            receivedBody(buffer)
        case .end(let trailers):
            receivedEnd(trailers)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if upstreamNeedsFlush {
            upstreamNeedsFlush = false
            exchange?.connection?.flush()
        }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        abandonExchange()
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if let exchange {
            // A slow reader is progress, not an upstream stall: it must not trip the timeout.
            exchange.lastActivity = .now()
            if context.channel.isWritable { exchange.connection?.resumeReads() }
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Malformed HTTP from the client: 400 if no answer has started yet, then close.
        let answer = error is HTTPParserError && !responseStarted
        abandonExchange()
        guard answer else {
            context.close(promise: nil)
            return
        }
        let (head, body) = ProblemResponse.make(
            .malformedRequest, requestID: resources.ids.requestID(), path: "", version: .http1_1, allocator: context.channel.allocator)
        var closingHead = head
        closingHead.headers.add(name: "connection", value: "close")
        responseStarted = true
        context.write(wrapOutboundOut(.head(closingHead)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        resources.metrics.record(service: nil, status: 400, nanoseconds: 0)
        writeEnd(close: true)
    }

    private func receivedHead(_ head: HTTPRequestHead) {
        discardingBody = false
        responsePending = true
        responseStarted = false
        idleSince = .now()
        // An unsafe incoming id is replaced by `sanitized` (rare); a missing one comes from the loop's generator.
        let requestID = head.headers.first(name: RequestID.headerName).map(RequestID.sanitized) ?? resources.ids.requestID()
        if CORSPolicy.isPreflight(head) {
            discardingBody = true
            writePreflight(head, requestID: requestID)
            return
        }
        if answerDocument(head, requestID: requestID) { return }
        if answerMetrics(head, requestID: requestID) { return }
        if let answer = shared.localEndpoints.answer(method: head.method, uri: head.uri) {
            discardingBody = true
            writeLocal(answer, request: head, requestID: requestID)
            return
        }
        var route: ResolvedRoute
        switch shared.routes.resolve(method: head.method.rawValue, uri: head.uri) {
        case .success(let resolved): route = resolved
        case .failure(.notFound): return refuse(.routeNotFound, request: head, requestID: requestID)
        case .failure(.badPath): return refuse(.badPath, request: head, requestID: requestID)
        }
        if shared.maxBodyBytes > 0, let length = head.headers.first(name: "content-length").flatMap(Int64.init), length > shared.maxBodyBytes {
            return refuse(.payloadTooLarge, request: head, requestID: requestID)
        }
        let traceparent = resources.ids.traceparent(continuing: head.headers.first(name: "traceparent"))
        let upgradeRequested = WebSocketUpgrade.isUpgrade(head)
        let webSocket = upgradeRequested && WebSocketUpgrade.isWebSocket(head)
        var queryToken: String?
        if webSocket {
            let stripped = WebSocketUpgrade.removingAccessToken(from: route.upstreamURI)
            queryToken = stripped.token
            route = ResolvedRoute(
                service: route.service, upstreamURI: stripped.uri, timeoutMilliseconds: route.timeoutMilliseconds, isPublic: route.isPublic,
                isSensitive: route.isSensitive)
        }
        let exchange = ProxyExchange(request: head, route: route, requestID: requestID, traceparent: traceparent)
        exchange.upgradeRequested = upgradeRequested
        exchange.webSocket = webSocket
        exchange.queryToken = queryToken
        exchange.handler = self
        self.exchange = exchange
        resources.inFlight.increment()
        // Nothing more from the client until we know where its body goes.
        pauseReads()
        admit(exchange)
    }

    private func receivedBody(_ buffer: ByteBuffer) {
        guard !discardingBody, let exchange else { return }
        exchange.bodyBytes += Int64(buffer.readableBytes)
        if shared.maxBodyBytes > 0 && exchange.bodyBytes > shared.maxBodyBytes {
            fail(exchange, .payloadTooLarge)
            return
        }
        guard exchange.phase == .streaming, let connection = exchange.connection else {
            exchange.pendingBody.append(buffer)
            return
        }
        exchange.bodyBytesSent += Int64(buffer.readableBytes)
        exchange.lastActivity = .now()
        connection.write(.body(.byteBuffer(buffer)))
        upstreamNeedsFlush = true
        if !connection.isWritable {
            // Pause before flushing: the flush may make the connection writable again at once,
            // and that event resumes reads only if they are already paused.
            pauseReads()
            connection.flush()
            upstreamNeedsFlush = false
        }
    }

    private func receivedEnd(_ trailers: HTTPHeaders?) {
        if discardingBody {
            discardingBody = false
            return
        }
        guard let exchange else { return }
        exchange.requestEnded = true
        // Nothing more of this request can arrive: reading on costs nothing (a pipelined next
        // request waits in `queued`), while holding the read would cost two epoll_ctl calls per
        // request.
        resumeReads()
        guard exchange.phase == .streaming, let connection = exchange.connection else {
            exchange.pendingEnd = true
            exchange.pendingTrailers = trailers
            return
        }
        exchange.requestEndSent = true
        exchange.lastActivity = .now()
        connection.write(.end(trailers))
        connection.flush()
        upstreamNeedsFlush = false
    }

    // MARK: Reads

    func read(context: ChannelHandlerContext) {
        if readsPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    func pauseReads() {
        readsPaused = true
    }

    func resumeReads() {
        guard readsPaused else { return }
        readsPaused = false
        if readPending {
            readPending = false
            context?.read()
        }
    }

    // MARK: Answers of our own

    func writeLocal(_ answer: LocalEndpoints.Answer, request: HTTPRequestHead, requestID: String) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: answer.contentType)
        headers.add(name: "content-length", value: String(answer.body.readableBytes))
        headers.add(name: "x-request-id", value: requestID)
        let close = !request.isKeepAlive || WebSocketUpgrade.isUpgrade(request)
        if close { headers.add(name: "connection", value: "close") }
        shared.cors.decorate(&headers, for: request)
        responseStarted = true
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: answer.status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(answer.body))), promise: nil)
        }
        resources.metrics.record(service: nil, status: Int(answer.status.code), nanoseconds: 0)
        writeEnd(close: close)
    }

    private func writePreflight(_ request: HTTPRequestHead, requestID: String) {
        var headers = shared.cors.preflightHeaders(for: request)
        headers.add(name: "content-length", value: "0")
        headers.add(name: "x-request-id", value: requestID)
        let close = !request.isKeepAlive || Self.mayHaveBody(request)
        if close { headers.add(name: "connection", value: "close") }
        responseStarted = true
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .noContent, headers: headers))), promise: nil)
        resources.metrics.record(service: nil, status: 204, nanoseconds: 0)
        writeEnd(close: close)
    }

    /// Answers a request that never became an exchange (unknown route, bad path, too large).
    private func refuse(_ failure: GatewayFailure, request: HTTPRequestHead, requestID: String) {
        discardingBody = true
        let (head, body) = ProblemResponse.make(
            failure, requestID: requestID, path: Self.path(of: request.uri), version: request.version, allocator: context.channel.allocator)
        // The body (if any) is not wanted; closing is cheaper than reading it all. After an
        // upgrade request NIO parses no more HTTP on the connection.
        let close = !request.isKeepAlive || Self.mayHaveBody(request) || WebSocketUpgrade.isUpgrade(request)
        var closingHead = head
        if close { closingHead.headers.add(name: "connection", value: "close") }
        shared.cors.decorate(&closingHead.headers, for: request)
        responseStarted = true
        context.write(wrapOutboundOut(.head(closingHead)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        completed(method: request.method, uri: request.uri, status: Int(head.status.code), requestID: requestID, exchange: nil)
        writeEnd(close: close)
    }

    /// Writes the response end; then a pipelined request waiting for it goes ahead (from inside
    /// this call, so callers clear the finished exchange first).
    func writeEnd(close: Bool, trailers: HTTPHeaders? = nil) {
        guard let context else { return }
        responsePending = false
        responseStarted = false
        if close {
            queued.removeAll()
            context.writeAndFlush(wrapOutboundOut(.end(trailers))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(trailers)), promise: nil)
            if !queued.isEmpty { dispatchQueued() }
        }
    }

    /// Hands on queued parts up to the next request that must wait for its predecessor's answer.
    private func dispatchQueued() {
        while let part = queued.first {
            if case .head = part, responsePending { return }
            queued.removeFirst()
            dispatch(part)
        }
        // Reading on is safe unless a request body is still to come (its own back-pressure
        // decides then).
        if exchange == nil || exchange?.requestEnded == true { resumeReads() }
    }

    static func path(of uri: String) -> String {
        if let mark = uri.utf8.firstIndex(of: UInt8(ascii: "?")) { return String(uri[..<mark]) }
        return uri
    }

    static func mayHaveBody(_ request: HTTPRequestHead) -> Bool {
        request.headers.contains(name: "content-length") && request.headers.first(name: "content-length") != "0"
            || request.headers.contains(name: "transfer-encoding")
    }
}
