import NIOCore
import NIOHTTP1

/// One keep-alive HTTP/1.1 connection to an upstream instance, the last handler of its
/// pipeline. While leased it forwards response parts to its delegate; while idle in the pool it
/// keeps reading so it notices the upstream closing it (the pool closes it after its idle timeout).
///
/// Reads can be paused (`pauseReads`) while the client cannot take more bytes: the upstream then
/// fills its socket buffer and slows down instead of the gateway buffering the response.
final class UpstreamConnection: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    struct Closed: Error {}

    let instance: UpstreamInstance
    private weak var pool: UpstreamConnectionPool?
    private var context: ChannelHandlerContext?
    /// Strong (a weak load per response part showed in profiles): cleared whenever the
    /// connection goes back to the pool, closes or fails, which ends the cycle with its handler.
    private var delegate: (any UpstreamConnectionDelegate)?
    private var readsPaused = false
    private var readPending = false
    /// When it went back to the pool.
    private(set) var idleSince = NIODeadline.uptimeNanoseconds(0)

    init(instance: UpstreamInstance, pool: UpstreamConnectionPool) {
        self.instance = instance
        self.pool = pool
    }

    var isActive: Bool { context?.channel.isActive ?? false }
    var channel: (any Channel)? { context?.channel }
    var isWritable: Bool { context?.channel.isWritable ?? false }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        delegate = nil
    }

    // MARK: Leasing

    func lease(to delegate: any UpstreamConnectionDelegate) {
        self.delegate = delegate
    }

    /// Back to the pool: no delegate, reading again (to see a close).
    func becomeIdle(now: NIODeadline) {
        delegate = nil
        idleSince = now
        resumeReads()
    }

    /// Leaves the pool's care for good (the connection becomes one end of a tunnel).
    func detach() {
        delegate = nil
        pool = nil
    }

    // MARK: Writing

    func write(_ part: HTTPClientRequestPart) {
        context?.write(wrapOutboundOut(part), promise: nil)
    }

    func flush() {
        context?.flush()
    }

    /// Closes the connection; its delegate (if any) is dropped first so it hears nothing more.
    func close() {
        delegate = nil
        context?.close(promise: nil)
    }

    // MARK: Back-pressure

    func pauseReads() {
        readsPaused = true
    }

    func resumeReads() {
        guard readsPaused else { return }
        readsPaused = false
        if readPending, let context {
            readPending = false
            context.read()
        }
    }

    func read(context: ChannelHandlerContext) {
        if readsPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if let delegate {
            delegate.upstreamReceived(part)
        } else {
            // An idle connection must stay silent; anything else means it is out of step.
            close()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        delegate?.upstreamReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        delegate?.upstreamWritabilityChanged(isWritable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let delegate {
            self.delegate = nil
            delegate.upstreamFailed(Closed())
        }
        pool?.discard(self)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let delegate {
            self.delegate = nil
            delegate.upstreamFailed(error)
        }
        context.close(promise: nil)
    }
}
