import NIOSSL

/// TLS to `https://` upstreams: certificates verified in full (chain and name), against
/// `GATEWAY_UPSTREAM_CA_FILE` when the services use a private authority, else the system's roots.
/// The gateway's own calls (health checks, OpenAPI documents, JWKS, entitlements) trust the same.
enum UpstreamTLS {
    static func configuration(caFile: String?) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let caFile { configuration.trustRoots = .file(caFile) }
        return configuration
    }

    /// One context for every loop (contexts are thread-safe and expensive to build), or nil when
    /// no instance is `https://`.
    static func context(for configuration: GatewayConfiguration) throws -> NIOSSLContext? {
        guard configuration.upstreams.contains(where: { $0.instances.contains { (try? InstanceAddress(url: $0))?.usesTLS == true } }) else {
            return nil
        }
        do {
            return try NIOSSLContext(configuration: Self.configuration(caFile: configuration.upstreamCAFile))
        } catch {
            throw GatewayConfiguration.Invalid(description: "upstream TLS cannot be set up (GATEWAY_UPSTREAM_CA_FILE?): \(error)")
        }
    }
}
