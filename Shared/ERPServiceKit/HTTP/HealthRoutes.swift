import ERPProtocol
import Foundation
import HTTPTypes
import Hummingbird

/// `GET /health/live` (the process serves HTTP) and `GET /health/ready` (it can reach every
/// dependency it needs; 503 otherwise, so the orchestrator holds traffic back).
public struct HealthRoutes: Sendable {
    private let checks: [ReadinessCheck]
    private let timeout: Duration

    public init(checks: [ReadinessCheck], timeout: Duration = .seconds(3)) {
        self.checks = checks
        self.timeout = timeout
    }

    public func register(on router: Router<ERPRequestContext>) {
        router.get("/health/live") { _, _ in
            Self.json(HealthReport(status: .ok, checks: [:]), status: .ok)
        }
        router.get("/health/ready") { _, _ in
            let report = await self.report()
            return Self.json(report, status: report.status == .unavailable ? .serviceUnavailable : .ok)
        }
    }

    /// Runs every check concurrently, each bounded by the timeout.
    public func report() async -> HealthReport {
        let results = await withTaskGroup(of: (String, HealthCheckResult).self) { group in
            for check in checks {
                group.addTask { (check.name, await Self.run(check, timeout: timeout)) }
            }
            var results: [String: HealthCheckResult] = [:]
            for await (name, result) in group { results[name] = result }
            return results
        }
        return HealthReport(checks: results)
    }

    private static func run(_ check: ReadinessCheck, timeout: Duration) async -> HealthCheckResult {
        let start = ContinuousClock.now
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await check.check() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw CancellationError()
                }
                try await group.next()
                group.cancelAll()
            }
            return HealthCheckResult(status: .ok, durationMs: milliseconds(since: start))
        } catch is CancellationError {
            return HealthCheckResult(status: .unavailable, durationMs: milliseconds(since: start), error: "timed out")
        } catch {
            // The error's type only: a driver message could name hosts or users.
            return HealthCheckResult(status: .unavailable, durationMs: milliseconds(since: start), error: "unreachable")
        }
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    private static func json(_ report: HealthReport, status: HTTPResponse.Status) -> Response {
        let body = (try? ERPJSON.encode(report)) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
