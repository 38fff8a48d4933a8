import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A WebSocket echo endpoint with SwiftNIO's own upgrader: `GET /v1/socket…` upgrades; the
/// server first sends a text frame `{"uri": …, "authorization": …}` (what the handshake it saw
/// carried), then echoes text and binary frames, answers pings and closes on a close frame.
/// Anything else is answered 404.
enum WebSocketEchoServer {
    static func start(port: Int, state: UpstreamState) async throws -> any Channel {
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: 1 << 20,
            shouldUpgrade: { channel, head in
                channel.eventLoop.makeSucceededFuture(head.uri.hasPrefix("/v1/socket") ? HTTPHeaders() : nil)
            },
            upgradePipelineHandler: { channel, head in
                let hello = (try? JSONSerialization.data(
                    withJSONObject: ["uri": head.uri, "authorization": head.headers.first(name: "authorization") ?? ""], options: [.sortedKeys]))
                    ?? Data()
                return channel.eventLoop.makeCompletedFuture {
                    // The upgrader appends the frame codec after the HTTP fallback: take the fallback out.
                    let pipeline = channel.pipeline.syncOperations
                    pipeline.removeHandler(context: try pipeline.context(handlerType: NotFoundHandler.self), promise: nil)
                    try pipeline.addHandler(WebSocketEchoHandler(hello: String(decoding: hello, as: UTF8.self), state: state))
                }
            })
        return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                    try channel.pipeline.syncOperations.addHandler(NotFoundHandler())
                }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
    }
}
