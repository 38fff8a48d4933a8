import AsyncHTTPClient
import ERPProtocol
import ERPServiceKit
import ERPTestSupport
import Foundation
import NIOCore

/// erp-gateway as deployed (release binary, JWT verification on, GCRA rate limit in the stack's
/// Redis with a limit the run cannot reach) against nginx `proxy_pass` to the same upstream
/// (release erp-test-upstream, `GET /v1/ping`), wrk `-t1` at 64 and 256 connections, each pair
/// in the same minute. The upstream alone is measured too, as the ceiling both proxies share.
///
/// Target (issue 4): gateway ≥ 0.6× nginx throughput, p99 ≤ 2× nginx's.
struct GatewayBenchmark {
    let connectionCounts = [64, 256]
    let seconds = 10
    let warmUpSeconds = 2

    func run() async throws {
        print("\n== gateway: erp-gateway (JWT + Redis GCRA) vs nginx proxy_pass, same upstream, wrk -t1 \(seconds)s")
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let gatewayBinary = binaries.appendingPathComponent("erp-gateway").path
        let upstreamBinary = binaries.appendingPathComponent("erp-test-upstream").path
        for binary in [gatewayBinary, upstreamBinary] where !FileManager.default.isExecutableFile(atPath: binary) {
            print("   skipped: \(binary) not built (bench.sh builds it)")
            return
        }
        guard (try? ProcessRunner.run(["sh", "-c", "command -v wrk && command -v \(NginxProxy.binary)"])) != nil else {
            print("   skipped: wrk or nginx missing (bench.sh installs them)")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("erp-gateway-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        // A signing key of our own, published where the gateway fetches its JWKS.
        let signing = try BenchSigner(directory: directory)
        let jwksFile = signing.jwksFile
        let token = try signing.token(subject: UserID.random().description, organization: .random(), roles: ["User"], kind: .user)

        let upstreamPort = FreePort.find()
        let gatewayPort = FreePort.find()
        let nginxPort = FreePort.find()
        var pids: [pid_t] = []
        defer {
            for pid in pids { kill(pid, SIGTERM) }
            for pid in pids { _ = ProcessRunner.wait(for: pid) }
        }
        pids.append(
            try ProcessRunner.spawn(
                [upstreamBinary, "--port", String(upstreamPort), "--name", "bench", "--jwks-file", jwksFile.path],
                output: directory.appendingPathComponent("upstream.log").path))
        let upstream = "http://127.0.0.1:\(upstreamPort)"
        let limit = "1000000000"
        pids.append(
            try ProcessRunner.spawn(
                [
                    "/usr/bin/env", "HTTP_PORT=\(gatewayPort)", "GATEWAY_UPSTREAMS=bench=\(upstream)",
                    "AUTH_JWKS_URL=\(upstream)/.well-known/jwks.json", "REDIS_URL=\(TestEnvironment.redisURL)",
                    "GATEWAY_RATE_LIMIT_PREFIX=\(TestEnvironment.uniqueName("gwbench"))", "GATEWAY_RATE_LIMIT_WINDOW_SECONDS=3600",
                    "GATEWAY_RATE_LIMIT_ORG=\(limit)", "GATEWAY_RATE_LIMIT_USER=\(limit)",
                    // Closed: if Redis were unreachable every request would be a 503, not a quietly local limit.
                    "GATEWAY_RATE_LIMIT_FAILURE_MODE=closed", "GATEWAY_ACCESS_LOG=off", "LOG_LEVEL=warning",
                    gatewayBinary,
                ], output: directory.appendingPathComponent("gateway.log").path))
        let nginx = NginxProxy(directory: directory, port: nginxPort)
        pids.append(try nginx.start(upstreamPort: upstreamPort, publicPrefix: "/api/v1/bench/", upstreamPrefix: "/v1/"))

        let urls = [
            "upstream": "\(upstream)/v1/ping",
            "nginx": "http://127.0.0.1:\(nginxPort)/api/v1/bench/ping",
            "gateway": "http://127.0.0.1:\(gatewayPort)/api/v1/bench/ping",
        ]
        let authorization = "Authorization: Bearer \(token)"
        try await checkReady(urls: urls, token: token, directory: directory)

        var table: [(connections: Int, upstream: WrkRun, nginx: WrkRun, gateway: WrkRun)] = []
        for connections in connectionCounts {
            for name in ["upstream", "nginx", "gateway"] {
                _ = try await WrkRun.run(url: urls[name]!, connections: connections, seconds: warmUpSeconds, headers: [authorization])
            }
            let direct = try await WrkRun.run(url: urls["upstream"]!, connections: connections, seconds: seconds, headers: [authorization])
            let reference = try await WrkRun.run(url: urls["nginx"]!, connections: connections, seconds: seconds, headers: [authorization])
            let ours = try await WrkRun.run(url: urls["gateway"]!, connections: connections, seconds: seconds, headers: [authorization])
            table.append((connections, direct, reference, ours))
        }

        // Markdown, so the table goes into Benchmarks/README.md as printed.
        print("| connections | upstream alone req/s | nginx req/s | nginx p50 / p99 ms | gateway req/s | gateway p50 / p99 ms | gateway / nginx req/s | gateway / nginx p99 |")
        print("|---|---|---|---|---|---|---|---|")
        for row in table {
            let ratio = row.gateway.requestsPerSecond / row.nginx.requestsPerSecond
            let p99Ratio = row.gateway.p99Milliseconds / row.nginx.p99Milliseconds
            let verdict = ratio >= 0.6 && p99Ratio <= 2 ? "" : " (target missed)"
            print(
                "| \(row.connections) | \(format(row.upstream.requestsPerSecond, 0)) | \(format(row.nginx.requestsPerSecond, 0)) | "
                    + "\(format(row.nginx.p50Milliseconds)) / \(format(row.nginx.p99Milliseconds)) | \(format(row.gateway.requestsPerSecond, 0)) | "
                    + "\(format(row.gateway.p50Milliseconds)) / \(format(row.gateway.p99Milliseconds)) | \(format(ratio))×\(verdict) | \(format(p99Ratio))× |")
        }
        for row in table {
            for (name, run) in [("upstream", row.upstream), ("nginx", row.nginx), ("gateway", row.gateway)] where run.failures > 0 {
                print("   warning: \(name) at \(row.connections) connections had \(run.failures) failed requests")
            }
        }
        print("   target: gateway ≥ 0.6× nginx throughput, p99 ≤ 2× nginx")
    }

    /// Waits until all three answer, and checks the gateway really verifies tokens and limits
    /// (401 without a token, `RateLimit-Limit` on an allowed request) — otherwise the comparison
    /// would flatter it.
    private func checkReady(urls: [String: String], token: String, directory: URL) async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await checkReady(client, urls: urls, token: token, directory: directory)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    private func checkReady(_ client: HTTPClient, urls: [String: String], token: String, directory: URL) async throws {
        func status(_ url: String, token: String?) async -> (Int, String?) {
            var request = HTTPClientRequest(url: url)
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            guard let response = try? await client.execute(request, timeout: .seconds(2)) else { return (0, nil) }
            _ = try? await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), response.headers.first(name: "ratelimit-limit"))
        }
        let deadline = ContinuousClock.now + .seconds(30)
        for name in ["upstream", "nginx", "gateway"] {
            while await status(urls[name]!, token: token).0 != 200 {
                guard ContinuousClock.now < deadline else {
                    let log = (try? String(contentsOf: directory.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? ""
                    throw BenchSetupFailure(description: "\(name) did not answer 200 at \(urls[name]!): \(log.suffix(1000))")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        let (anonymous, _) = await status(urls["gateway"]!, token: nil)
        let (_, limit) = await status(urls["gateway"]!, token: token)
        guard anonymous == 401, limit != nil else {
            throw BenchSetupFailure(description: "gateway must refuse anonymous calls (got \(anonymous)) and rate limit (RateLimit-Limit \(limit ?? "absent"))")
        }
    }

    struct BenchSetupFailure: Error, CustomStringConvertible { let description: String }
}
