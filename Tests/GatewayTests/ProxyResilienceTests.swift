import ERPTestSupport
import Foundation
import Testing

/// Failures of upstreams: down, slow, broken, flapping.
@Suite("Gateway proxy resilience")
struct ProxyResilienceTests {
    @Test("no reachable instance answers 503 at once; a slow one 504 at the route timeout; garbage 502")
    func failures() async throws {
        let slow = try await TestServers.upstream(name: "slow", garbagePort: FreePort.find())
        let garbagePort = Int(slow.arguments[slow.arguments.firstIndex(of: "--garbage-port")! + 1])!
        let nothing = FreePort.find()
        let gateway = try await TestServers.gateway([
            "GATEWAY_UPSTREAMS": "down=http://127.0.0.1:\(nothing)|http://127.0.0.1:\(FreePort.find()),slow=\(TestServers.url(slow)),broken=http://127.0.0.1:\(garbagePort)",
            "GATEWAY_ROUTE_TIMEOUTS": "/api/v1/slow/slow=700",
        ])
        defer { [slow, gateway].forEach { $0.stop() } }
        let base = TestServers.url(gateway)

        var started = ContinuousClock.now
        let down = try await TestHTTP.request("\(base)/api/v1/down/anything")
        #expect(down.status == 503)
        #expect(down.problemCode == "upstream_unavailable")
        #expect(down.headers.first(name: "content-type") == "application/problem+json")
        #expect(ContinuousClock.now - started < .seconds(1))

        // A POST is not retried on another instance, but still fails fast.
        let post = try await TestHTTP.request("\(base)/api/v1/down/anything", method: .POST, body: Data("{}".utf8))
        #expect(post.status == 503)

        started = ContinuousClock.now
        let timedOut = try await TestHTTP.request("\(base)/api/v1/slow/slow?ms=5000")
        let elapsed = ContinuousClock.now - started
        #expect(timedOut.status == 504)
        #expect(timedOut.problemCode == "gateway_timeout")
        // Well before the upstream's 5 s answer (the slack is for a loaded machine's stalls).
        #expect(elapsed >= .milliseconds(650) && elapsed < .milliseconds(4000), "504 after \(elapsed)")

        // Other routes of the same service keep the default timeout.
        let quick = try await TestHTTP.request("\(base)/api/v1/slow/slow?ms=50")
        #expect(quick.status == 200)

        let broken = try await TestHTTP.request("\(base)/api/v1/broken/anything")
        #expect(broken.status == 502)
        #expect(broken.problemCode == "bad_gateway")
    }

    @Test("the circuit opens after consecutive failures, half-opens after the cool-down, closes on a good probe")
    func circuitBreaker() async throws {
        let port = FreePort.find()
        var upstream = try await TestServers.upstream(name: "flaky", port: port)
        let gateway = try await TestServers.gateway([
            "GATEWAY_UPSTREAMS": "flaky=\(TestServers.url(upstream))",
            // A cool-down long enough that a loaded machine's stall between two requests is not one.
            "GATEWAY_BREAKER_FAILURES": "3", "GATEWAY_BREAKER_COOLDOWN_MS": "2500",
        ])
        defer { [upstream, gateway].forEach { $0.stop() } }
        let url = "\(TestServers.url(gateway))/api/v1/flaky/echo"
        #expect(try await TestHTTP.request(url).status == 200)

        upstream.stop()
        for _ in 0..<3 {
            #expect(try await TestHTTP.request(url).problemCode == "upstream_unavailable")
        }
        // Open: refused without trying the instance.
        #expect(try await TestHTTP.request(url).problemCode == "circuit_open")

        // Half-open after the cool-down: one probe goes through, fails, and the circuit re-opens at once.
        try await Task.sleep(for: .milliseconds(2700))
        #expect(try await TestHTTP.request(url).problemCode == "upstream_unavailable")
        #expect(try await TestHTTP.request(url).problemCode == "circuit_open")

        // The service is back: the next probe succeeds and closes the circuit.
        upstream = try await TestServers.upstream(name: "flaky", port: port)
        try await Task.sleep(for: .milliseconds(2700))
        #expect(try await TestHTTP.request(url).status == 200)
        #expect(try await TestHTTP.request(url).status == 200)
    }

    @Test("active health checks eject a failing instance and restore it; /health/ready reports it")
    func healthChecks() async throws {
        let first = try await TestServers.upstream(name: "one")
        let second = try await TestServers.upstream(name: "two")
        let gateway = try await TestServers.gateway([
            "GATEWAY_UPSTREAMS": "svc=\(TestServers.url(first))|\(TestServers.url(second))",
            "GATEWAY_HEALTH_INTERVAL_MS": "150", "GATEWAY_HEALTH_UNHEALTHY_THRESHOLD": "2",
        ])
        defer { [first, second, gateway].forEach { $0.stop() } }
        let base = TestServers.url(gateway)

        func instancesSeen() async throws -> Set<String> {
            var seen: Set<String> = []
            for _ in 0..<8 {
                if let name = try await TestHTTP.request("\(base)/api/v1/svc/echo").json["instance"] as? String { seen.insert(name) }
            }
            return seen
        }
        #expect(try await instancesSeen() == ["one", "two"])

        _ = try await TestHTTP.request("\(TestServers.url(second))/admin/health?status=503", method: .POST)
        try await waitUntil { try await instancesSeen() == ["one"] }
        let degraded = try await TestHTTP.request("\(base)/health/ready")
        #expect(degraded.status == 200)
        #expect(degraded.json["status"] as? String == "degraded")

        _ = try await TestHTTP.request("\(TestServers.url(second))/admin/health?status=200", method: .POST)
        try await waitUntil { try await instancesSeen() == ["one", "two"] }
        #expect(try await TestHTTP.request("\(base)/health/ready").json["status"] as? String == "ok")
    }
}

/// Polls `condition` for up to `timeout`; records an issue if it never holds.
func waitUntil(timeout: Duration = .seconds(5), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("condition not met within \(timeout)")
}
