import NIOCore

/// Pipelines commands on one Redis connection: each write goes out at once, replies complete
/// the waiting commands in order. A command that timed out stays in the queue (its reply must
/// still be consumed) but its callback is not called again.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisCommandHandler.Command
    typealias OutboundOut = ByteBuffer

    /// A command and what to do with its reply.
    final class Command {
        let arguments: [ByteBuffer]
        private var callback: ((Result<RESPValue, any Error>) -> Void)?

        init(arguments: [ByteBuffer], callback: @escaping (Result<RESPValue, any Error>) -> Void) {
            self.arguments = arguments
            self.callback = callback
        }

        var isPending: Bool { callback != nil }

        func complete(_ result: Result<RESPValue, any Error>) {
            guard let callback else { return }
            self.callback = nil
            callback(result)
        }
    }

    struct ConnectionLost: Error {}

    private var waiting = CircularBuffer<Command>(initialCapacity: 16)

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let command = unwrapOutboundIn(data)
        var buffer = context.channel.allocator.buffer(capacity: 64 + command.arguments.reduce(0) { $0 + $1.readableBytes })
        buffer.writeString("*\(command.arguments.count)\r\n")
        for argument in command.arguments {
            buffer.writeString("$\(argument.readableBytes)\r\n")
            buffer.writeImmutableBuffer(argument)
            buffer.writeStaticString("\r\n")
        }
        waiting.append(command)
        context.write(wrapOutboundOut(buffer), promise: promise)
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
