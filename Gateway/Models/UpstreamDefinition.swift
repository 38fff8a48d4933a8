/// One service behind the gateway and the addresses of its instances, as configured.
struct UpstreamDefinition: Sendable, Hashable, Codable {
    /// The path segment after `/api/v1/` (e.g. `crm`).
    var service: String
    /// Base URLs (`http://host:port`) of the service's instances.
    var instances: [String]
}
