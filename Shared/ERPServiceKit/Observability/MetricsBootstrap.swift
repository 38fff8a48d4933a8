import Metrics
import Prometheus
import Synchronization

/// Installs Prometheus as the swift-metrics backend once per process and exposes its registry
/// for the `/metrics` route.
public enum MetricsBootstrap {
    private static let installed = Mutex<PrometheusCollectorRegistry?>(nil)

    /// The registry every metric of this process is recorded in.
    public static func bootstrap() -> PrometheusCollectorRegistry {
        installed.withLock { installed in
            if let installed { return installed }
            let registry = PrometheusCollectorRegistry()
            var factory = PrometheusMetricsFactory(registry: registry)
            // Libraries name metrics with dots (`hb.requests`); Prometheus allows [a-zA-Z0-9_:] only.
            factory.nameAndLabelSanitizer = { name, labels in
                (sanitize(name), labels.map { (sanitize($0.0), $0.1) })
            }
            MetricsSystem.bootstrap(factory)
            installed = registry
            return registry
        }
    }

    static func sanitize(_ name: String) -> String {
        var result = String(name.map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == ":") ? character : "_"
        })
        if let first = result.first, first.isNumber { result = "_" + result }
        return result
    }
}
