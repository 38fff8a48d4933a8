import ERPKafka
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `erp-dev-broker`: a Kafka-protocol broker for the local stack and tests, built on librdkafka's
/// mock cluster (no real Kafka is packaged for these machines).
///
/// Clients bootstrap through the fixed `--port` on 127.0.0.1, which a small forwarder relays to
/// the mock's ephemeral port; the mock then advertises its real address and clients connect there
/// directly. The real address is also written to `--bootstrap-file`. All data lives in memory.
@main
struct ERPDevBroker {
    static func main() async {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "erp.dev-broker")
        logger.logLevel = .info

        let options: DevBrokerOptions
        do {
            guard let parsed = try DevBrokerOptions.parse(Array(CommandLine.arguments.dropFirst())) else {
                print(DevBrokerOptions.usage)
                return
            }
            options = parsed
        } catch {
            FileHandle.standardError.write(Data("\(error)\n\(DevBrokerOptions.usage)\n".utf8))
            exit(2)
        }

        // Signals become an async stream; the default handlers would kill us without cleanup.
        let signals = terminationSignals()
        do {
            try await run(options, until: signals.stream, logger: logger)
        } catch {
            logger.critical("dev broker failed", metadata: ["erp.devbroker.error": .string("\(error)")])
            exit(1)
        }
        withExtendedLifetime(signals.sources) {}
    }

    private static func run(_ options: DevBrokerOptions, until signals: AsyncStream<Int32>, logger: Logger) async throws {
        let cluster = try KafkaMockCluster(brokerCount: options.brokerCount, logger: logger)
        defer { cluster.shutdown() }  // the mock before its host handle, as KafkaMockCluster requires
        // Multi-broker clusters list every broker; any one of them serves bootstrap metadata.
        let firstBroker = String(cluster.bootstrapServers.split(separator: ",").first ?? "")
        let forwarder = try TCPForwarder(port: options.port, upstream: firstBroker, logger: logger)
        forwarder.start()
        defer { forwarder.stop() }
        if let path = options.bootstrapFile {
            try Data((cluster.bootstrapServers + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        }
        logger.info(
            "dev broker ready",
            metadata: [
                "erp.devbroker.port": .stringConvertible(options.port),
                "erp.devbroker.bootstrap": .string(cluster.bootstrapServers),
                "erp.devbroker.brokers": .stringConvertible(options.brokerCount),
            ]
        )
        for await signal in signals {
            logger.info("dev broker stopping", metadata: ["erp.devbroker.signal": .stringConvertible(signal)])
            break
        }
        if let path = options.bootstrapFile {
            // A stale address would point the next run's clients at a dead port.
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    private static func terminationSignals() -> (stream: AsyncStream<Int32>, sources: [any DispatchSourceSignal]) {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        let sources = [SIGTERM, SIGINT].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        signal(SIGPIPE, SIG_IGN)
        return (stream, sources)
    }
}
