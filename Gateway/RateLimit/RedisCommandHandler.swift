import NIOCore

/// Pipelines commands on one Redis connection: each write goes out at once, replies complete
/// the waiting commands in order. A command that timed out stays in the queue (its reply must
/// still be consumed) but its callback is not called again.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisCommand
    typealias OutboundOut = ByteBuffer

    struct ConnectionLost: Error {}

    private var waiting = CircularBuffer<RedisCommand>(initialCapacity: 16)

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let command = unwrapOutboundIn(data)
        waiting.append(command)
        context.write(wrapOutboundOut(command.encoded), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        guard let command = waiting.popFirst() else {
            context.close(promise: nil)
            return
        }
        command.complete(.success(value))
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll()
        context.close(promise: nil)
    }

    private func failAll() {
        while let command = waiting.popFirst() {
            command.complete(.failure(ConnectionLost()))
        }
    }
}
