import ERPServiceKit
import Logging
import NIOCore
import NIOHTTP1

// Upstream → client, and the ends of an exchange.
extension GatewayHandler: UpstreamConnectionDelegate {
    func upstreamReceived(_ part: HTTPClientResponsePart) {
        guard let exchange, exchange.phase == .streaming else { return }
        exchange.lastActivity = .now()
        switch part {
        case .head(let head):
            if head.status == .switchingProtocols && exchange.webSocket {
                exchange.recordOutcome(success: true)
                exchange.switchingProtocols = true
                exchange.responseHead = head
                exchange.responseStatus = 101
                let headers = ProxyHeaders.switchingProtocols(from: head, requestID: exchange.requestID)
                responseStarted = true
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: exchange.request.version, status: .switchingProtocols, headers: headers))), promise: nil)
                return
            }
            // 100 Continue and friends: we answered Expect ourselves and dropped it upstream.
            if head.status.code < 200 { return }
            exchange.recordOutcome(success: true)
            var (clientHead, closeAfter) = ProxyHeaders.clientResponse(
                from: head, request: exchange.request, requestID: exchange.requestID, rateLimit: exchange.rateLimit,
                requestComplete: exchange.requestEnded)
            if exchange.upgradeRequested && !closeAfter {
                closeAfter = true
                clientHead.headers.replaceOrAdd(name: "connection", value: "close")
            }
            exchange.responseHead = head
            exchange.responseStatus = Int(head.status.code)
            exchange.closeClientAfterResponse = closeAfter
            var decorated = clientHead
            shared.cors.decorate(&decorated.headers, for: exchange.request)
            responseStarted = true
            context.write(wrapOutboundOut(.head(decorated)), promise: nil)
        case .body(let buffer):
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            if !context.channel.isWritable {
                // Pause first: the flush may make the client writable again at once.
                exchange.connection?.pauseReads()
                context.flush()
            }
        case .end(let trailers):
            if exchange.switchingProtocols {
                openTunnel(exchange)
            } else {
                finish(exchange, trailers: trailers)
            }
        }
    }

    func upstreamReadComplete() {
        context?.flush()
    }

    func upstreamWritabilityChanged(isWritable: Bool) {
        guard isWritable, let exchange, exchange.phase == .streaming, !exchange.requestEnded else { return }
        resumeReads()
    }

    func upstreamFailed(_ error: any Error) {
        guard let exchange, exchange.phase == .streaming else { return }
        let connection = exchange.connection
        exchange.connection = nil
        connection?.close()
        if exchange.responseHead == nil {
            // A pooled connection the upstream closed just before we used it: the request never
            // reached it. Retry once on a fresh connection when nothing of a body was sent.
            if exchange.connectionReused && !exchange.staleRetryUsed && exchange.bodyBytesSent == 0 && exchange.requestEnded
                && exchange.isIdempotent
            {
                exchange.staleRetryUsed = true
                exchange.timeoutArmed = false
                exchange.requestEndSent = false
                exchange.pendingBody = []
                exchange.pendingEnd = true
                exchange.pendingTrailers = nil
                if let instance = exchange.instance {
                    exchange.recordOutcome(success: true)
                    resources.balancer.finished(instance)
                }
                exchange.instance = nil
                connect(exchange)
                return
            }
            exchange.recordOutcome(success: false)
            if let instance = exchange.instance { resources.metrics.upstreamFailure(instance, reason: "bad_response") }
            fail(exchange, .badGateway)
        } else {
            // Mid-response: the status line is gone already; all we can do is cut the client off.
            exchange.recordOutcome(success: false)
            endExchange(exchange)
            context.close(promise: nil)
        }
    }

    /// The upstream response ended: the connection goes back to the pool when both messages
    /// completed on it and it stays open, the client gets the end.
    private func finish(_ exchange: ProxyExchange, trailers: HTTPHeaders?) {
        let connection = exchange.connection
        exchange.connection = nil
        if let connection {
            if exchange.requestEndSent && exchange.responseHead?.isKeepAlive == true && !exchange.upgradeRequested {
                resources.pool.release(connection)
            } else {
                connection.close()
            }
        }
        let close = exchange.closeClientAfterResponse
        endExchange(exchange)
        writeEnd(close: close, trailers: trailers)
    }

    /// Answers the exchange with a problem (before any response byte went out), or cuts the
    /// connection if a response already started.
    func fail(_ exchange: ProxyExchange, _ failure: GatewayFailure) {
        guard self.exchange === exchange else { return }
        if let connection = exchange.connection {
            exchange.connection = nil
            connection.close()
        }
        if exchange.responseHead != nil {
            endExchange(exchange)
            context.close(promise: nil)
            return
        }
        let (head, body) = ProblemResponse.make(
            failure, requestID: exchange.requestID, path: Self.path(of: exchange.request.uri), version: exchange.request.version,
            allocator: context.channel.allocator)
        var finalHead = head
        if let rateLimit = exchange.rateLimit { ProxyHeaders.add(rateLimit, to: &finalHead.headers) }
        // A body still on its way is not wanted; closing beats reading it to the end. After an
        // upgrade request the connection carries no more HTTP either.
        let close = !exchange.request.isKeepAlive || !exchange.requestEnded || exchange.upgradeRequested
        if close { finalHead.headers.add(name: "connection", value: "close") }
        shared.cors.decorate(&finalHead.headers, for: exchange.request)
        exchange.responseStatus = Int(head.status.code)
        if !exchange.requestEnded { discardingBody = true }
        endExchange(exchange)
        responseStarted = true
        context.write(wrapOutboundOut(.head(finalHead)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        writeEnd(close: close)
    }

    /// Bookkeeping when an exchange is over, before the response end is written (which can
    /// deliver the next pipelined request into this handler).
    func endExchange(_ exchange: ProxyExchange) {
        exchange.timeoutArmed = false
        idleSince = .now()
        settleInstance(exchange)
        exchange.handler = nil
        self.exchange = nil
        resources.inFlight.decrement()
        upstreamNeedsFlush = false
        completed(method: exchange.request.method, uri: exchange.request.uri, status: exchange.responseStatus, requestID: exchange.requestID, exchange: exchange)
        resumeReads()
    }

    /// The client went away (or the handler is removed) mid-exchange.
    func abandonExchange() {
        guard let exchange else { return }
        if let connection = exchange.connection {
            exchange.connection = nil
            connection.close()
        }
        exchange.timeoutArmed = false
        settleInstance(exchange)
        exchange.handler = nil
        self.exchange = nil
        resources.inFlight.decrement()
        completed(method: exchange.request.method, uri: exchange.request.uri, status: 499, requestID: exchange.requestID, exchange: exchange)
    }

    /// Ends the instance's part in the exchange: no longer outstanding, and its breaker told
    /// something (a half-open breaker waits for its probe's outcome). A connection that got this
    /// far reached the service, so an exchange ending for another reason counts as a success.
    /// While still connecting, the lease callback settles instead.
    private func settleInstance(_ exchange: ProxyExchange) {
        guard exchange.phase != .connecting, let instance = exchange.instance else { return }
        exchange.recordOutcome(success: true)
        resources.balancer.finished(instance)
        exchange.instance = nil
    }

    /// Metrics and the access log line of a finished request (499: the client left first).
    func completed(method: HTTPMethod, uri: String, status: Int, requestID: String, exchange: ProxyExchange?) {
        let nanoseconds = exchange.map { (NIODeadline.now() - $0.start).nanoseconds } ?? 0
        resources.metrics.record(service: exchange?.route.service, status: status, nanoseconds: nanoseconds)
        guard shared.accessLog else { return }
        var metadata: Logger.Metadata = [
            LogMetadataKey.httpMethod: .string(method.rawValue),
            LogMetadataKey.httpPath: .string(Self.path(of: uri)),
            LogMetadataKey.httpStatus: .stringConvertible(status),
            LogMetadataKey.requestID: .string(requestID),
        ]
        if let exchange {
            metadata[LogMetadataKey.durationMs] = .stringConvertible(Double(nanoseconds) / 1_000_000)
            metadata[LogMetadataKey.upstream] = .string(exchange.route.service.name)
            metadata["http.request.body.bytes"] = .stringConvertible(exchange.bodyBytes)
            if let identity = exchange.identity {
                metadata[LogMetadataKey.tenantID] = .string(identity.organization)
                metadata[LogMetadataKey.userID] = .string(identity.subject)
            }
        }
        shared.logger.info("request handled", metadata: metadata)
    }
}
