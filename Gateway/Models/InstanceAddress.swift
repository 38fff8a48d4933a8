import Foundation

/// Where one upstream instance listens: `http://host:port`, or `https://host:port` when the
/// network between the gateway and the service is not trusted (the certificate is verified
/// against the system's roots or `GATEWAY_UPSTREAM_CA_FILE`, and the host name or IP address).
struct InstanceAddress: Sendable, Hashable, CustomStringConvertible {
    var host: String
    var port: Int
    var usesTLS: Bool

    init(host: String, port: Int, usesTLS: Bool = false) {
        self.host = host
        self.port = port
        self.usesTLS = usesTLS
    }

    /// Parses `http(s)://host:port` (a path, if any, is ignored: the gateway maps paths itself).
    init(url: String) throws {
        guard let components = URLComponents(string: url.trimmingCharacters(in: .whitespaces)),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { throw GatewayConfiguration.Invalid(description: "upstream URL '\(url)' is not http(s)://host:port") }
        self.host = host
        self.usesTLS = scheme == "https"
        self.port = components.port ?? (usesTLS ? 443 : 80)
    }

    /// `http(s)://host:port`, for the gateway's own calls (health checks, OpenAPI documents).
    var baseURL: String {
        let literal = host.contains(":") ? "[\(host)]" : host
        return "\(usesTLS ? "https" : "http")://\(literal):\(port)"
    }

    var description: String { "\(usesTLS ? "https://" : "")\(host):\(port)" }
}
