/// Picks an instance for a request on one event loop: healthy, circuit closed (or its half-open
/// probe free), and the fewest requests outstanding from this loop, ties broken round robin.
/// Counting per loop needs no locks and is close enough: each loop carries a fair share.
final class UpstreamBalancer {
    enum Choice {
        case instance(UpstreamInstance)
        case allCircuitsOpen
        case noneAvailable
    }

    private var outstanding: [Int]
    private var cursor = 0

    init(instanceCount: Int) {
        outstanding = Array(repeating: 0, count: instanceCount)
    }

    /// Chooses among `service`'s instances not in `excluded`; a returned instance counts as
    /// outstanding until `finished(_:)`.
    func pick(_ service: UpstreamService, excluding excluded: [Int]) -> Choice {
        let instances = service.instances
        guard !instances.isEmpty else { return .noneAvailable }
        if instances.count == 1 {
            // The common case needs no candidate list.
            let instance = instances[0]
            guard instance.isHealthy && !excluded.contains(instance.id) else { return .noneAvailable }
            guard instance.breaker.allowRequest() else { return .allCircuitsOpen }
            outstanding[instance.id] += 1
            return .instance(instance)
        }
        cursor &+= 1
        var candidates: [UpstreamInstance] = []
        candidates.reserveCapacity(instances.count)
        for offset in 0..<instances.count {
            let instance = instances[(cursor &+ offset) % instances.count]
            if instance.isHealthy && !excluded.contains(instance.id) { candidates.append(instance) }
        }
        guard !candidates.isEmpty else { return .noneAvailable }
        // Stable sort keeps the rotated order among equals: round robin when loads are equal.
        let ordered = candidates.count == 1 ? candidates : candidates.sorted { outstanding[$0.id] < outstanding[$1.id] }
        for instance in ordered where instance.breaker.allowRequest() {
            outstanding[instance.id] += 1
            return .instance(instance)
        }
        return .allCircuitsOpen
    }

    func finished(_ instance: UpstreamInstance) {
        outstanding[instance.id] = max(0, outstanding[instance.id] - 1)
    }
}
