import Foundation

/// Where one upstream instance listens. Only plain `http://` is supported: the gateway and the
/// services share a private network (TLS terminates at the gateway or a mesh sidecar).
struct InstanceAddress: Sendable, Hashable, CustomStringConvertible {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `http://host:port` (a path, if any, is ignored: the gateway maps paths itself).
    init(url: String) throws {
        guard let components = URLComponents(string: url.trimmingCharacters(in: .whitespaces)),
            components.scheme?.lowercased() == "http", let host = components.host, !host.isEmpty
        else { throw GatewayConfiguration.Invalid(description: "upstream URL '\(url)' is not http://host:port") }
        self.host = host
        self.port = components.port ?? 80
    }

    var description: String { "\(host):\(port)" }
}
