import Metrics

/// Prometheus metrics of one event loop's requests: `erp_gateway_requests_total{service,status}`,
/// `erp_gateway_request_duration_seconds{service}` and
/// `erp_gateway_upstream_failures_total{service,instance,reason}`.
///
/// Requests are tallied here, on the loop, without locks or shared atomics, and handed to the
/// metrics backend by `flush()` — every sweep of the loop and before `/metrics` answers — so
/// the two loops do not contend on one counter's cache line and one histogram's lock per request.
final class RequestMetrics {
    private struct Key: Hashable {
        /// The upstream service, nil for the gateway's own answers and unknown routes (`-`).
        let service: ObjectIdentifier?
        let status: Int
    }

    private struct FailureKey: Hashable {
        let instance: Int
        let reason: String
    }

    /// Slots of `counters`/`pendingCounts` and of `timers`/`pendingDurations`.
    private var counterSlots: [Key: Int] = [:]
    private var counters: [Counter] = []
    private var pendingCounts: [Int64] = []
    private var timerSlots: [ObjectIdentifier?: Int] = [:]
    private var timers: [Metrics.Timer] = []
    private var pendingDurations: [[Int64]] = []
    private var failures: [FailureKey: Counter] = [:]
    private var dirty = false

    /// A finished request; `service` nil for the gateway's own answers and unknown routes.
    func record(service: UpstreamService?, status: Int, nanoseconds: Int64) {
        let id = service.map(ObjectIdentifier.init)
        let key = Key(service: id, status: status)
        if let slot = counterSlots[key] {
            pendingCounts[slot] += 1
        } else {
            counterSlots[key] = counters.count
            counters.append(Counter(label: "erp_gateway_requests_total", dimensions: [("service", service?.name ?? "-"), ("status", String(status))]))
            pendingCounts.append(1)
        }
        if let slot = timerSlots[id] {
            pendingDurations[slot].append(nanoseconds)
        } else {
            timerSlots[id] = timers.count
            timers.append(
                Metrics.Timer(label: "erp_gateway_request_duration_seconds", dimensions: [("service", service?.name ?? "-")], preferredDisplayUnit: .seconds))
            pendingDurations.append([nanoseconds])
        }
        dirty = true
    }

    /// Hands what was tallied since the last flush to the metrics backend.
    func flush() {
        guard dirty else { return }
        dirty = false
        for slot in counters.indices where pendingCounts[slot] > 0 {
            counters[slot].increment(by: pendingCounts[slot])
            pendingCounts[slot] = 0
        }
        for slot in timers.indices where !pendingDurations[slot].isEmpty {
            for value in pendingDurations[slot] { timers[slot].recordNanoseconds(value) }
            pendingDurations[slot].removeAll(keepingCapacity: true)
        }
    }

    /// An upstream instance failed a request (`connect`, `timeout`, `bad_response`); rare, so
    /// counted at once.
    func upstreamFailure(_ instance: UpstreamInstance, reason: String) {
        let key = FailureKey(instance: instance.id, reason: reason)
        let counter: Counter
        if let existing = failures[key] {
            counter = existing
        } else {
            counter = Counter(
                label: "erp_gateway_upstream_failures_total",
                dimensions: [("service", instance.service), ("instance", instance.address.description), ("reason", reason)])
            failures[key] = counter
        }
        counter.increment()
    }
}
