import ERPProtocol
import Foundation
import NIOCore
import NIOHTTP1
import Prometheus

/// The gateway's own endpoints, answered on the event loop without touching an upstream:
/// `GET /health/live`, `GET /health/ready` (every service has at least one instance the health
/// checks consider up; "degraded" when some have none, 503 when none has any) and `GET /metrics`.
struct LocalEndpoints: Sendable {
    struct Answer {
        let status: HTTPResponseStatus
        let contentType: String
        let body: ByteBuffer
    }

    let services: [UpstreamService]
    let metrics: PrometheusCollectorRegistry

    func answer(method: HTTPMethod, uri: String) -> Answer? {
        guard method == .GET || method == .HEAD else { return nil }
        // Every proxied request passes here: turn it away on a few bytes.
        guard uri.utf8.starts(with: "/health/".utf8) || uri.utf8.starts(with: "/metrics".utf8) else { return nil }
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        switch path {
        case "/health/live":
            return json(HealthReport(status: .ok, checks: [:]), status: .ok)
        case "/health/ready":
            let report = readiness()
            return json(report, status: report.status == .unavailable ? .serviceUnavailable : .ok)
        case "/metrics":
            return Answer(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: ByteBuffer(bytes: metrics.emitToBuffer()))
        default:
            return nil
        }
    }

    func readiness() -> HealthReport {
        var checks: [String: HealthCheckResult] = [:]
        for service in services {
            let up = service.instances.filter(\.isHealthy).count
            let status: HealthStatus = up == 0 ? .unavailable : (up < service.instances.count ? .degraded : .ok)
            checks["upstream.\(service.name)"] = HealthCheckResult(
                status: status, durationMs: 0, error: up == 0 ? "no healthy instance" : nil)
        }
        let downCount = checks.values.filter { $0.status == .unavailable }.count
        let overall: HealthStatus =
            checks.isEmpty ? .ok : downCount == checks.count ? .unavailable : (checks.values.contains { $0.status != .ok } ? .degraded : .ok)
        return HealthReport(status: overall, checks: checks)
    }

    private func json(_ report: HealthReport, status: HTTPResponseStatus) -> Answer {
        let body = (try? ERPJSON.encode(report)) ?? Data(#"{"status":"ok","checks":{}}"#.utf8)
        return Answer(status: status, contentType: "application/json", body: ByteBuffer(bytes: body))
    }
}
