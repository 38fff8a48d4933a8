import Foundation
import Testing

import ERPProtocol

@Suite("HealthReport")
struct HealthReportTests {
    @Test("golden: worst check wins; error omitted when nil")
    func golden() throws {
        let report = HealthReport(checks: [
            "postgres": HealthCheckResult(status: .ok, durationMs: 3),
            "kafka": HealthCheckResult(status: .degraded, durationMs: 12, error: "broker unreachable"),
        ])
        #expect(report.status == .degraded)
        #expect(report.httpStatus == 200)
        try Golden.check(report, matches: "health-report")
    }

    @Test("unavailable answers 503; no checks is ok")
    func status() {
        let down = HealthReport(checks: [
            "postgres": HealthCheckResult(status: .unavailable, durationMs: 1000, error: "timeout"),
            "redis": HealthCheckResult(status: .degraded, durationMs: 1),
        ])
        #expect(down.status == .unavailable)
        #expect(down.httpStatus == 503)
        #expect(HealthReport(checks: [:]).status == .ok)
    }
}
