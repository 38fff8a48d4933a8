import Metrics

/// Prometheus metrics of one event loop's requests, with the metric handles cached so a request
/// costs a dictionary lookup, not a registry lookup under a lock:
/// `erp_gateway_requests_total{service,status}`,
/// `erp_gateway_request_duration_seconds{service}` and
/// `erp_gateway_upstream_failures_total{service,instance,reason}`.
final class RequestMetrics {
    private struct Key: Hashable {
        let service: String
        let status: Int
    }

    private struct FailureKey: Hashable {
        let instance: Int
        let reason: String
    }

    private var counters: [Key: Counter] = [:]
    private var timers: [String: Metrics.Timer] = [:]
    private var failures: [FailureKey: Counter] = [:]

    /// A finished request; `service` is `-` for the gateway's own answers and unknown routes.
    func record(service: String, status: Int, nanoseconds: Int64) {
        let key = Key(service: service, status: status)
        let counter: Counter
        if let existing = counters[key] {
            counter = existing
        } else {
            counter = Counter(label: "erp_gateway_requests_total", dimensions: [("service", service), ("status", String(status))])
            counters[key] = counter
        }
        counter.increment()
        let timer: Metrics.Timer
        if let existing = timers[service] {
            timer = existing
        } else {
            timer = Metrics.Timer(label: "erp_gateway_request_duration_seconds", dimensions: [("service", service)], preferredDisplayUnit: .seconds)
            timers[service] = timer
        }
        timer.recordNanoseconds(nanoseconds)
    }

    /// An upstream instance failed a request (`connect`, `timeout`, `bad_response`).
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
