import NIOCore

/// One end of a byte-for-byte tunnel between two channels on the same event loop (a client
/// connection and an upstream connection after a `101 Switching Protocols`): what one side reads
/// the other writes, unparsed. Back-pressure: a side reads only while its partner can write.
/// When either side closes or fails, both close; so does a tunnel with no bytes either way for
/// `idleTimeout` (one timer per tunnel, re-armed lazily when it fires after later traffic).
final class TunnelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// When bytes last moved either way, shared by both ends (they run on one loop).
    private final class Activity {
        var last = NIODeadline.now()
        var timer: Scheduled<Void>?
    }

    private var partner: TunnelHandler?
    private var context: ChannelHandlerContext?
    private var readPending = false
    private let activity: Activity

    private init(activity: Activity) {
        self.activity = activity
    }

    /// Two ends that forward to each other.
    static func pair() -> (TunnelHandler, TunnelHandler) {
        let activity = Activity()
        let first = TunnelHandler(activity: activity)
        let second = TunnelHandler(activity: activity)
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    /// Closes both ends after `timeout` without a byte either way. Call once, on the loop, after
    /// both ends are in their pipelines.
    func closeWhenIdle(for timeout: TimeAmount) {
        guard let context else { return }
        activity.last = .now()
        armIdleTimer(timeout, on: context.eventLoop)
    }

    private func armIdleTimer(_ timeout: TimeAmount, on eventLoop: any EventLoop) {
        activity.timer = eventLoop.assumeIsolated().scheduleTask(deadline: activity.last + timeout) { [weak self] in
            guard let self, let context = self.context else { return }
            if NIODeadline.now() < self.activity.last + timeout {
                self.armIdleTimer(timeout, on: context.eventLoop)
                return
            }
            self.activity.timer = nil
            self.partner?.partnerClosed()
            self.partner = nil
            context.close(promise: nil)
        }
    }

    // MARK: What the partner asks of this side

    /// Flushed at once: bytes can arrive outside a read cycle (what an HTTP decoder still held
    /// when it left the pipeline comes with no read-complete after it).
    private func partnerWrite(_ buffer: ByteBuffer) {
        context?.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    private func partnerClosed() {
        partner = nil
        context?.close(promise: nil)
    }

    private var isWritable: Bool { context?.channel.isWritable ?? false }

    private func partnerBecameWritable() {
        if readPending, let context {
            readPending = false
            context.read()
        }
    }

    // MARK: This side's events

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        activity.last = .now()
        partner?.partnerWrite(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        activity.timer?.cancel()
        activity.timer = nil
        partner?.partnerClosed()
        partner = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { partner?.partnerBecameWritable() }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if let partner, !partner.isWritable {
            readPending = true
        } else {
            context.read()
        }
    }
}
