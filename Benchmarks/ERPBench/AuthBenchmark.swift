import AsyncHTTPClient
import ERPCrypto
import ERPProtocol
import ERPTestSupport
import Foundation
import NIOCore
import Synchronization

/// erp-auth as deployed (release binary, production scrypt cost ln=17 r=8 p=1, real Postgres
/// and Redis), driven over HTTP:
/// - login latency p50/p99 against the bare cost of one scrypt verify in this process — the
///   ratio shows what login adds on top of the hash (throttle check, lookups, audit, session);
/// - token refresh throughput against `GET /health/live` on the same server with the same
///   concurrency — the ratio is the price of the rotation script, the user reload and signing.
struct AuthBenchmark {
    let logins = 30
    let concurrency = 8
    let seconds = 8

    func run() async throws {
        print("\n== auth: login latency and refresh throughput (erp-auth release binary, scrypt ln=17 r=8 p=1)")
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("erp-auth").path
        guard FileManager.default.isExecutableFile(atPath: bin) else {
            print("   skipped: \(bin) not built (bench.sh builds it)")
            return
        }
        let schema = try await TestSchema.create("authbench")
        let port = FreePort.find()
        let kek = Data(SecureRandom.bytes(count: 32)).base64EncodedString()
        let pid = try ProcessRunner.spawn([
            "/usr/bin/env", "HTTP_PORT=\(port)", "POSTGRES_URL=\(schema.appURL)", "POSTGRES_MIGRATION_URL=\(schema.ownerURL)",
            "REDIS_URL=\(TestEnvironment.redisURL)", "AUTH_KEY_ENCRYPTION_KEY=\(kek)", "AUTH_REDIS_PREFIX=\(TestEnvironment.uniqueName("authbench"))",
            "LOG_LEVEL=warning", bin,
        ])
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer {
            kill(pid, SIGTERM)
            _ = ProcessRunner.wait(for: pid)
        }
        let base = "http://127.0.0.1:\(port)"
        try await waitUntilReady(client, base)

        let email = "bench-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let password = "Tangerine-Violin-7781-Quartz"
        _ = try await post(client, "\(base)/v1/organizations", #"{"organization":{"name":"Bench"},"owner":{"email":"\#(email)","password":"\#(password)","name":"B"}}"#)
        let loginBody = #"{"email":"\#(email)","password":"\#(password)"}"#

        // Reference: the hash alone, in this process.
        let hasher = PasswordHasher(parameters: .init(ln: 17, r: 8, p: 1))
        let stored = try hasher.hash(password)
        var hashTimes: [Double] = []
        for _ in 0..<10 {
            let start = ContinuousClock.now
            _ = hasher.verify(password, against: stored)
            hashTimes.append((ContinuousClock.now - start).milliseconds)
        }
        var loginTimes: [Double] = []
        var refreshTokens: [String] = []
        for index in 0..<logins {
            let start = ContinuousClock.now
            let response = try await post(client, "\(base)/v1/sessions", loginBody)
            loginTimes.append((ContinuousClock.now - start).milliseconds)
            if index < concurrency, let token = (try? JSONSerialization.jsonObject(with: response) as? [String: Any])?["refreshToken"] as? String {
                refreshTokens.append(token)
            }
        }
        let hashP50 = percentile(hashTimes, 0.5)
        print("   scrypt verify alone:  p50 \(format(hashP50)) ms")
        print("   login over HTTP:      p50 \(format(percentile(loginTimes, 0.5))) ms, p99 \(format(percentile(loginTimes, 0.99))) ms  (\(logins) sequential logins)")
        print("   login / hash (p50):   \(format(percentile(loginTimes, 0.5) / hashP50))×")

        let health = try await throughput(client, concurrency: concurrency) { _, _ in
            _ = try await get(client, "\(base)/health/live")
        }
        let tokens = Mutex(refreshTokens)
        let refresh = try await throughput(client, concurrency: refreshTokens.count) { worker, _ in
            let current = tokens.withLock { $0[worker] }
            let response = try await post(client, "\(base)/v1/tokens/refresh", #"{"refreshToken":"\#(current)"}"#)
            guard let next = (try JSONSerialization.jsonObject(with: response) as? [String: Any])?["refreshToken"] as? String else {
                throw HTTPClientError.invalidURL
            }
            tokens.withLock { $0[worker] = next }
        }
        print("   GET /health/live:     \(format(health, 0)) req/s (\(concurrency) concurrent)")
        print("   POST /v1/tokens/refresh: \(format(refresh, 0)) req/s (\(refreshTokens.count) concurrent sessions)")
        print("   refresh / health:     \(format(refresh / health))×")
        try await client.shutdown()
        try? await schema.drop()
    }

    private func throughput(_ client: HTTPClient, concurrency: Int, _ work: @escaping @Sendable (Int, Int) async throws -> Void) async throws -> Double {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let start = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        try await work(worker, count)
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(total) / (ContinuousClock.now - start).milliseconds * 1000
    }

    private func waitUntilReady(_ client: HTTPClient, _ base: String) async throws {
        for _ in 0..<300 {
            if (try? await get(client, "\(base)/health/ready")) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HTTPClientError.connectTimeout
    }

    private func get(_ client: HTTPClient, _ url: String) async throws -> Data {
        try await send(client, HTTPClientRequest(url: url))
    }

    private func post(_ client: HTTPClient, _ url: String, _ json: String) async throws -> Data {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        return try await send(client, request)
    }

    private func send(_ client: HTTPClient, _ request: HTTPClientRequest) async throws -> Data {
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw BenchFailure(description: "\(request.url) answered \(response.status.code): \(String(buffer: body))")
        }
        return Data(buffer: body)
    }

    struct BenchFailure: Error, CustomStringConvertible { let description: String }

    private func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }
}
