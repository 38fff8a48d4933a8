import NIOCore
import NIOPosix

/// Answers whatever arrives with bytes that are not an HTTP response, then closes: the gateway
/// must turn that into a 502.
enum GarbageServer {
    static func start(port: Int) async throws -> any Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(GarbageHandler())
                }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
    }
}

final class GarbageHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "THIS IS NOT HTTP\r\n\r\n"))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
