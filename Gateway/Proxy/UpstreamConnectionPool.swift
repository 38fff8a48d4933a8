import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Keep-alive connections to upstream instances, owned by one event loop: the client's request
/// and its upstream connection run on the same loop, so handing parts across needs no hop and
/// no lock. Idle connections are reused most-recently-used first (the warmest socket) and
/// closed after `idleTimeout` (checked by the loop's sweeper, `closeIdle(now:)`).
final class UpstreamConnectionPool {
    private let eventLoop: any EventLoop
    private let connectTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let maxIdlePerInstance: Int
    /// For `https://` instances (nil when every instance is plain HTTP).
    private let tlsContext: NIOSSLContext?
    private var idle: [[UpstreamConnection]]

    init(
        eventLoop: any EventLoop, instanceCount: Int, connectTimeout: TimeAmount, idleTimeout: TimeAmount, maxIdlePerInstance: Int,
        tlsContext: NIOSSLContext? = nil
    ) {
        self.eventLoop = eventLoop
        self.tlsContext = tlsContext
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.maxIdlePerInstance = maxIdlePerInstance
        self.idle = Array(repeating: [], count: instanceCount)
    }

    /// An idle connection to `instance` that is still open, if there is one (no callback: the
    /// common case of a keep-alive pool allocates nothing).
    func takeIdle(_ instance: UpstreamInstance) -> UpstreamConnection? {
        while let connection = idle[instance.id].popLast() {
            if connection.isActive { return connection }
        }
        return nil
    }

    /// An idle connection to `instance`, or a new one. `completion` runs on this loop and says
    /// whether the connection was reused (a reused one may have been closed by the upstream
    /// just now, which makes a retry safe for requests without a body).
    func lease(
        _ instance: UpstreamInstance, fresh: Bool = false, completion: @escaping (Result<UpstreamConnection, any Error>, _ reused: Bool) -> Void
    ) {
        if !fresh, let connection = takeIdle(instance) {
            completion(.success(connection), true)
            return
        }
        let tlsContext = instance.address.usesTLS ? self.tlsContext : nil
        if instance.address.usesTLS && tlsContext == nil {
            completion(.failure(ChannelError.operationUnsupported), false)
            return
        }
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        // SNI and name verification by host name; an IP literal is checked
                        // against the certificate's IP addresses instead (SNI forbids IPs).
                        let hostname = instance.socketAddress == nil ? instance.address.host : nil
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: hostname))
                    }
                    // Bytes after a `101` belong to the new protocol: keep them for the tunnel.
                    // No outbound header validation: the request headers are the client's (parsed,
                    // so already valid) and our own.
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(
                        leftOverBytesStrategy: .forwardBytes, enableOutboundHeaderValidation: false)
                }
            }
        let connecting = instance.socketAddress.map { bootstrap.connect(to: $0) }
            ?? bootstrap.connect(host: instance.address.host, port: instance.address.port)
        connecting
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    let connection = UpstreamConnection(instance: instance, pool: self)
                    do {
                        try channel.pipeline.syncOperations.addHandler(connection)
                        completion(.success(connection), false)
                    } catch {
                        channel.close(promise: nil)
                        completion(.failure(error), false)
                    }
                case .failure(let error):
                    completion(.failure(error), false)
                }
            }
    }

    /// Takes back a connection whose last response ended cleanly.
    func release(_ connection: UpstreamConnection) {
        guard connection.isActive, idle[connection.instance.id].count < maxIdlePerInstance else {
            connection.close()
            return
        }
        connection.becomeIdle(now: .now())
        idle[connection.instance.id].append(connection)
    }

    /// Closes connections idle for `idleTimeout` or longer: the oldest are at the front.
    func closeIdle(now: NIODeadline) {
        for index in idle.indices {
            while let oldest = idle[index].first, oldest.idleSince + idleTimeout <= now {
                idle[index].removeFirst()
                oldest.close()
            }
        }
    }

    /// Forgets a connection that closed.
    func discard(_ connection: UpstreamConnection) {
        idle[connection.instance.id].removeAll { $0 === connection }
    }

    /// Closes every idle connection (shutdown).
    func closeAll() {
        let all = idle.flatMap { $0 }
        idle = idle.map { _ in [] }
        for connection in all { connection.close() }
    }
}
