import NIOCore
import NIOHTTP1

// After a `101 Switching Protocols` (WebSocket): both connections drop their HTTP handlers and
// are joined by a `TunnelHandler` pair, byte for byte, until either side closes.
extension GatewayHandler {
    /// Called when the upstream's `101` head is complete (its `.end`); the client already has
    /// the `101` head.
    func openTunnel(_ exchange: ProxyExchange) {
        guard let context, let connection = exchange.connection, let upstreamChannel = connection.channel else {
            if let exchange = self.exchange { fail(exchange, .badGateway) }
            return
        }
        exchange.connection = nil
        connection.detach()
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        // The exchange is over as far as metrics, logs and draining go (a tunnel may live for hours).
        endExchange(exchange)

        let (clientEnd, upstreamEnd) = TunnelHandler.pair()
        let client = context.pipeline.syncOperations
        let upstream = upstreamChannel.pipeline.syncOperations
        do {
            try upstream.addHandler(upstreamEnd)
            try client.addHandler(clientEnd)
        } catch {
            context.close(promise: nil)
            upstreamChannel.close(promise: nil)
            return
        }
        // Upstream: the connection handler first, so bytes the decoder still holds (a first
        // frame that came with the 101) go straight to the tunnel when it leaves.
        Self.remove(UpstreamConnection.self, from: upstream)
        Self.remove(HTTPRequestEncoder.self, from: upstream)
        Self.remove(NIOHTTPRequestHeadersValidator.self, from: upstream)
        Self.remove(ByteToMessageHandler<HTTPResponseDecoder>.self, from: upstream)
        // Client: this handler, then NIO's HTTP codec (a conforming client sends nothing before
        // it has the 101, so the decoder holds nothing). Leaving the pipeline also ends this
        // connection's keep-alive idle timing (the tunnel has its own).
        client.removeHandler(context: context, promise: nil)
        Self.remove(ByteToMessageHandler<HTTPRequestDecoder>.self, from: client)
        Self.remove(HTTPResponseEncoder.self, from: client)
        if let idleTimeout = shared.webSocketIdleTimeout { clientEnd.closeWhenIdle(for: idleTimeout) }
        // Reads may have been held by the HTTP handlers that just left.
        context.channel.read()
        upstreamChannel.read()
    }

    private static func remove<Handler: ChannelHandler>(_ type: Handler.Type, from pipeline: ChannelPipeline.SynchronousOperations) {
        guard let handlerContext = try? pipeline.context(handlerType: type) else { return }
        pipeline.removeHandler(context: handlerContext, promise: nil)
    }
}
