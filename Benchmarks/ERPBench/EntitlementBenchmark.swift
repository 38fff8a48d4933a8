import ERPCrypto
import ERPPostgres
import ERPProtocol
import ERPServiceKit
import ERPTestSupport
import Foundation
import Logging

/// erp-subscription's `GET /v1/organizations/{id}/entitlements` (what the gateway and every
/// service ask), release binary, real Postgres and Redis: two processes on one schema, one
/// with the Redis cache and one with it off (`SUBSCRIPTION_ENTITLEMENTS_TTL_SECONDS=0`, every
/// lookup computed from Postgres: subscription, plan and six usage aggregates), each driven by
/// wrk with a platform token for the same organization. The ratio is what the cache buys.
struct EntitlementBenchmark {
    let seconds = 8
    let connections = 16

    func run() async throws {
        print("\n== entitlements: lookups/s through the Redis cache vs computed from Postgres (release erp-subscription, wrk -t1 -c\(connections) \(seconds)s)")
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let service = binaries.appendingPathComponent("erp-subscription").path
        let upstream = binaries.appendingPathComponent("erp-test-upstream").path
        guard FileManager.default.isExecutableFile(atPath: service), FileManager.default.isExecutableFile(atPath: upstream),
              (try? ProcessRunner.run(["sh", "-c", "command -v wrk"])) != nil
        else {
            print("   skipped: erp-subscription, erp-test-upstream or wrk missing (bench.sh builds and installs them)")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("erp-entitlement-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let signing = try BenchSigner(directory: directory)
        let jwksFile = signing.jwksFile
        let token = try signing.token(subject: "svc_gateway", organization: .platform, roles: ["platform_service"], kind: .service)
        let schema = try await TestSchema.create("entbench")
        defer { Task { try? await schema.drop() } }
        var pids: [pid_t] = []
        defer {
            for pid in pids { kill(pid, SIGTERM) }
            for pid in pids { _ = ProcessRunner.wait(for: pid) }
        }
        let jwksPort = FreePort.find()
        pids.append(try ProcessRunner.spawn(
            [upstream, "--port", String(jwksPort), "--name", "jwks", "--jwks-file", jwksFile.path],
            output: directory.appendingPathComponent("jwks.log").path
        ))
        var ports: [String: Int] = [:]
        for (name, ttl) in [("cached", 300), ("uncached", 0)] {
            let port = FreePort.find()
            ports[name] = port
            pids.append(try ProcessRunner.spawn([
                "/usr/bin/env", "HTTP_PORT=\(port)", "POSTGRES_URL=\(schema.appURL)", "POSTGRES_MIGRATION_URL=\(schema.ownerURL)",
                "REDIS_URL=\(TestEnvironment.redisURL)", "AUTH_JWKS_URL=http://127.0.0.1:\(jwksPort)/.well-known/jwks.json",
                "SUBSCRIPTION_REDIS_PREFIX=\(TestEnvironment.uniqueName("entbench"))", "SUBSCRIPTION_ENTITLEMENTS_TTL_SECONDS=\(ttl)",
                "LOG_LEVEL=warning", service,
            ], output: directory.appendingPathComponent("\(name).log").path))
            try await waitUntilReady(port: port)
        }
        let tenant = try await seedOrganization(schema)
        let header = "Authorization: Bearer \(token)"
        var results: [String: WrkRun] = [:]
        for name in ["cached", "uncached", "cached"] {  // cached twice: the first run also warms up
            let url = "http://127.0.0.1:\(ports[name]!)/v1/organizations/\(tenant)/entitlements"
            results[name] = try await WrkRun.run(url: url, connections: connections, seconds: seconds, headers: [header])
        }
        for name in ["cached", "uncached"] {
            let run = results[name]!
            print("   \(name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(Int(run.requestsPerSecond)) lookups/s, p50 \(String(format: "%.2f", run.p50Milliseconds)) ms, p99 \(String(format: "%.2f", run.p99Milliseconds)) ms, \(run.failures) failures")
        }
        print("   cached / uncached:  \(String(format: "%.2f", results["cached"]!.requestsPerSecond / results["uncached"]!.requestsPerSecond))× throughput")
    }

    /// An organization on Pro with some usage, written as the service itself would.
    private func seedOrganization(_ schema: TestSchema) async throws -> TenantID {
        let tenant = TenantID.random()
        let pool = PostgresPool(configuration: try PostgresConfiguration(url: schema.appURL, poolSize: 1), logger: Logger(label: "entbench"))
        defer { Task { await pool.shutdown() } }
        try await pool.withTenantTransaction(tenant: tenant.uuid) { connection in
            let now = Date()
            try await connection.execute(
                """
                INSERT INTO subscriptions (tenant_id, id, plan_code, plan_version, status, billing_anchor, current_period_start, current_period_end)
                VALUES (\(tenant.uuid), \(UUID()), 'pro', 1, 'active', \(now), \(now), \(now.addingTimeInterval(30 * 86_400)))
                """
            )
            for index in 0..<2_000 {
                try await connection.execute(
                    """
                    INSERT INTO usage_records (tenant_id, event_id, metric, value, unique_key, occurred_at)
                    VALUES (\(tenant.uuid), \(UUID()), \(index % 2 == 0 ? "ai_queries" : "ai_tokens"), \(Int64(index % 500)),
                            \("user-\(index % 40)"), \(now.addingTimeInterval(Double(index))))
                    """
                )
            }
        }
        return tenant
    }

    struct NotReady: Error, CustomStringConvertible {
        let port: Int
        var description: String { "erp-subscription did not become ready on port \(port)" }
    }

    private func waitUntilReady(port: Int) async throws {
        for _ in 0..<300 {
            if (try? ProcessRunner.run(["curl", "-sf", "http://127.0.0.1:\(port)/health/ready"])) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw NotReady(port: port)
    }
}
