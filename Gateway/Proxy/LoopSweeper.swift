import NIOCore

/// One repeated task per event loop in place of a timer per exchange, per idle pooled connection
/// and per client connection (NIO's `IdleStateHandler`): scheduling and cancelling a timer for
/// every request showed in profiles, while a sweep every `interval` over this loop's client
/// connections costs a few nanoseconds each. Deadlines are met to within one interval.
final class LoopSweeper {
    let interval: TimeAmount
    private var handlers: [GatewayHandler] = []
    private var task: Scheduled<Void>?
    private var stopped = false
    private var tickActions: [() -> Void] = []

    init(interval: TimeAmount) {
        self.interval = interval
    }

    /// An interval fine enough for the shortest timeout it watches (an eighth of it), between
    /// 10 ms and 100 ms.
    static func interval(shortestTimeoutMilliseconds: Int64) -> TimeAmount {
        .milliseconds(min(100, max(10, shortestTimeoutMilliseconds / 8)))
    }

    /// Starts sweeping on `eventLoop` (the loop that owns this sweeper); `onTick` runs after each
    /// sweep of the connections (idle pool connections, metrics).
    func start(on eventLoop: any EventLoop, onTick: @escaping () -> Void) {
        tickActions.append(onTick)
        guard task == nil else { return }
        schedule(on: eventLoop)
    }

    private func schedule(on eventLoop: any EventLoop) {
        guard !stopped else { return }
        task = eventLoop.assumeIsolated().scheduleTask(in: interval) { [weak self] in
            guard let self else { return }
            self.sweep()
            self.schedule(on: eventLoop)
        }
    }

    func stop() {
        stopped = true
        task?.cancel()
        task = nil
    }

    func register(_ handler: GatewayHandler) {
        handler.sweepIndex = handlers.count
        handlers.append(handler)
    }

    func unregister(_ handler: GatewayHandler) {
        let index = handler.sweepIndex
        guard index >= 0, index < handlers.count, handlers[index] === handler else { return }
        let last = handlers.removeLast()
        if last !== handler {
            handlers[index] = last
            last.sweepIndex = index
        }
        handler.sweepIndex = -1
    }

    private func sweep() {
        let now = NIODeadline.now()
        // A handler may close (and unregister) while swept: walk a snapshot.
        let snapshot = handlers
        for handler in snapshot { handler.sweep(now: now) }
        for action in tickActions { action() }
    }
}
