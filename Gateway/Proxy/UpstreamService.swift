/// A service behind the gateway and its instances.
final class UpstreamService: Sendable {
    let name: String
    let instances: [UpstreamInstance]

    init(name: String, instances: [UpstreamInstance]) {
        self.name = name
        self.instances = instances
    }
}
