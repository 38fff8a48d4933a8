import AsyncHTTPClient
import ERPServiceKit
import Logging
import NIOCore
import ServiceLifecycle

/// Active health checks: every `interval`, `GET <instance><path>` on every instance; after
/// `unhealthyThreshold` failures in a row the instance is ejected (the balancer skips it), after
/// `healthyThreshold` successes in a row it is restored. Passive protection — the circuit
/// breaker — reacts to real traffic in between.
final class HealthChecker: Service {
    private let instances: [UpstreamInstance]
    private let httpClient: HTTPClient
    private let interval: Duration
    private let timeout: TimeAmount
    private let path: String
    private let unhealthyThreshold: Int
    private let healthyThreshold: Int
    private let logger: Logger

    init(instances: [UpstreamInstance], httpClient: HTTPClient, configuration: GatewayConfiguration, logger: Logger) {
        self.instances = instances
        self.httpClient = httpClient
        self.interval = .milliseconds(configuration.healthCheckIntervalMilliseconds)
        self.timeout = .milliseconds(configuration.healthCheckTimeoutMilliseconds)
        self.path = configuration.healthCheckPath
        self.unhealthyThreshold = configuration.unhealthyThreshold
        self.healthyThreshold = configuration.healthyThreshold
        self.logger = logger
    }

    func run() async throws {
        var streaks = [Int](repeating: 0, count: instances.count)  // >0 successes, <0 failures in a row
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let results = await withTaskGroup(of: (Int, Bool).self) { group in
                for instance in instances {
                    group.addTask { (instance.id, await self.probe(instance)) }
                }
                var results: [Int: Bool] = [:]
                for await (id, healthy) in group { results[id] = healthy }
                return results
            }
            for (index, instance) in instances.enumerated() {
                let healthy = results[instance.id] ?? false
                streaks[index] = healthy ? max(streaks[index], 0) + 1 : min(streaks[index], 0) - 1
                if instance.isHealthy && streaks[index] <= -unhealthyThreshold {
                    instance.setHealthy(false)
                    logger.warning("upstream instance ejected", metadata: metadata(instance))
                } else if !instance.isHealthy && streaks[index] >= healthyThreshold {
                    instance.setHealthy(true)
                    logger.info("upstream instance restored", metadata: metadata(instance))
                }
            }
            try? await Task.sleep(for: interval)
        }
    }

    private func probe(_ instance: UpstreamInstance) async -> Bool {
        let request = HTTPClientRequest(url: instance.address.baseURL + path)
        do {
            let response = try await httpClient.execute(request, timeout: timeout)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return (200..<300).contains(response.status.code)
        } catch {
            return false
        }
    }

    private func metadata(_ instance: UpstreamInstance) -> Logger.Metadata {
        [LogMetadataKey.upstream: .string("\(instance.service) \(instance.address)")]
    }
}
