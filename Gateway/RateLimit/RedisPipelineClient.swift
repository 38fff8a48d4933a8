import ERPRedis
import NIOCore
import NIOPosix

/// One pipelined RESP connection to Redis per event loop, written on SwiftNIO so a rate-limit
/// check costs a write and a read on the loop the request already runs on — no thread hop, no
/// blocking call (ERPRedis's hiredis pool blocks a thread per command and is the wrong tool here).
///
/// Failures are fast: while disconnected, commands fail at once until `backoff` has passed since
/// the last failed attempt; then the next command reconnects. Every command has a deadline,
/// watched by one timer per connection (replies come in order, so only the oldest unanswered
/// command can be late) rather than a scheduled task per command. Writes made during one loop
/// iteration go out with one flush.
final class RedisPipelineClient {
    struct Unavailable: Error {}
    struct TimedOut: Error {}

    private let eventLoop: any EventLoop
    private let endpoint: RedisEndpoint
    private let timeout: TimeAmount
    private let backoff: TimeAmount
    private var channel: (any Channel)?
    private var connecting = false
    private var queued: [RedisCommand] = []
    private var retryNotBefore = NIODeadline.uptimeNanoseconds(0)
    /// Commands sent or queued and not yet answered, oldest first, with when they were sent.
    private var outstanding = CircularBuffer<(command: RedisCommand, sentAt: NIODeadline)>(initialCapacity: 64)
    private var watchdog: Scheduled<Void>?
    private var flushScheduled = false
    let allocator = ByteBufferAllocator()

    init(eventLoop: any EventLoop, endpoint: RedisEndpoint, timeout: TimeAmount, backoff: TimeAmount) {
        self.eventLoop = eventLoop
        self.endpoint = endpoint
        self.timeout = timeout
        self.backoff = backoff
    }

    /// Sends one command; `completion` runs exactly once, on this loop.
    func send(_ arguments: [String], completion: @escaping (Result<RESPValue, any Error>) -> Void) {
        var buffer = allocator.buffer(capacity: 64)
        buffer.writeRESPCommand(arguments)
        send(ClosureRedisCommand(encoded: buffer, callback: completion))
    }

    /// Sends one command; it completes exactly once, on this loop (with a failure when Redis
    /// is unreachable or late).
    /// `flushNow`: the caller sends at the end of a loop iteration already (a batch), so there
    /// is nothing to wait for.
    func send(_ command: RedisCommand, flushNow: Bool = false) {
        if let channel, channel.isActive {
            watch(command)
            channel.pipeline.syncOperations.write(NIOAny(command), promise: nil)
            if flushNow {
                channel.flush()
            } else if !flushScheduled {
                flushScheduled = true
                eventLoop.assumeIsolated().execute { [weak self] in
                    guard let self else { return }
                    self.flushScheduled = false
                    self.channel?.flush()
                }
            }
            return
        }
        guard NIODeadline.now() >= retryNotBefore else {
            command.complete(.failure(Unavailable()))
            return
        }
        watch(command)
        queued.append(command)
        connect()
    }

    private func watch(_ command: RedisCommand) {
        let now = NIODeadline.now()
        outstanding.append((command, now))
        if watchdog == nil { armWatchdog(at: now + timeout) }
    }

    private func armWatchdog(at deadline: NIODeadline) {
        watchdog = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            self?.checkDeadlines()
        }
    }

    /// Answered commands leave the front; if the oldest unanswered one is past its deadline,
    /// every waiting command fails and the connection is dropped (a Redis that does not answer
    /// in time is treated as gone: later commands fail fast until the back-off passes).
    private func checkDeadlines() {
        watchdog = nil
        while let first = outstanding.first, !first.command.isPending { outstanding.removeFirst() }
        guard let oldest = outstanding.first else { return }
        let now = NIODeadline.now()
        if oldest.sentAt + timeout > now {
            armWatchdog(at: oldest.sentAt + timeout)
            return
        }
        let late = outstanding
        outstanding.removeAll()
        for entry in late { entry.command.complete(.failure(TimedOut())) }
        dropConnection()
    }

    func close() {
        dropConnection()
    }

    private func dropConnection() {
        retryNotBefore = .now() + backoff
        channel?.close(promise: nil)
        channel = nil
    }

    private func connect() {
        guard !connecting else { return }
        connecting = true
        ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPDecoder()))
                    try channel.pipeline.syncOperations.addHandler(RedisCommandHandler())
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .assumeIsolated()
            .whenComplete { result in
                self.connecting = false
                let waiting = self.queued
                self.queued = []
                switch result {
                case .success(let channel):
                    self.channel = channel
                    channel.closeFuture.assumeIsolated().whenComplete { _ in
                        if self.channel === channel {
                            self.channel = nil
                            self.retryNotBefore = .now() + self.backoff
                        }
                    }
                    for command in self.handshake() + waiting {
                        channel.pipeline.syncOperations.write(NIOAny(command), promise: nil)
                    }
                    channel.flush()
                case .failure:
                    self.retryNotBefore = .now() + self.backoff
                    for command in waiting { command.complete(.failure(Unavailable())) }
                }
            }
    }

    /// AUTH and SELECT ahead of the first real command (pipelined; a failure closes the connection).
    private func handshake() -> [RedisCommand] {
        var commands: [[String]] = []
        if let password = endpoint.password {
            commands.append(endpoint.username.map { ["AUTH", $0, password] } ?? ["AUTH", password])
        }
        if endpoint.database != 0 { commands.append(["SELECT", String(endpoint.database)]) }
        return commands.map { arguments in
            var buffer = allocator.buffer(capacity: 64)
            buffer.writeRESPCommand(arguments)
            return ClosureRedisCommand(encoded: buffer) { [weak self] result in
                if case .success(.error) = result { self?.dropConnection() }
            }
        }
    }
}
