import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The listening socket: one `GatewayHandler` per client connection, on the connection's event
/// loop, next to that loop's upstream pool and Redis connection. Stops accepting on graceful
/// shutdown and gives open requests `drainPeriod` to finish.
final class GatewayServer: Service {
    private let host: String
    private let port: Int
    private let group: any EventLoopGroup
    private let shared: GatewayShared
    private let resources: LoopResourceTable
    private let logger: Logger
    private let onBound: @Sendable (Int) -> Void
    private let drainPeriod: Duration

    init(
        host: String, port: Int, group: any EventLoopGroup, shared: GatewayShared, resources: LoopResourceTable, logger: Logger,
        drainPeriod: Duration, onBound: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.drainPeriod = drainPeriod
        self.host = host
        self.port = port
        self.group = group
        self.shared = shared
        self.resources = resources
        self.logger = logger
        self.onBound = onBound
    }

    func run() async throws {
        let shared = self.shared
        let resources = self.resources
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    var encoder = HTTPResponseEncoder.Configuration()
                    encoder.automaticallySetFramingHeaders = false
                    // Only the codec: `GatewayHandler` does pipelining and protocol errors itself, the
                    // loop's sweeper closes idle connections, and response headers need no second
                    // validation (the upstream's were parsed, the rest are our own).
                    try sync.configureHTTPServerPipeline(
                        withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
                        withEncoderConfiguration: encoder)
                    try sync.addHandler(GatewayHandler(shared: shared, resources: resources.resources(for: channel.eventLoop), allLoops: resources))
                }
            }
            .bind(host: host, port: port)
            .get()
        let boundPort = channel.localAddress?.port ?? port
        logger.info("gateway listening", metadata: ["http.port": .stringConvertible(boundPort)])
        onBound(boundPort)
        try? await gracefulShutdown()
        logger.info("gateway stopping", metadata: ["erp.requests.in_flight": .stringConvertible(resources.requestsInFlight)])
        try? await channel.close()
        // Requests already admitted may finish (bounded); new connections are refused now.
        let deadline = ContinuousClock.now + drainPeriod
        while resources.requestsInFlight > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
