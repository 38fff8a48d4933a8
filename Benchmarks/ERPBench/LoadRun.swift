import AsyncHTTPClient
import Foundation
import NIOCore

/// A closed-loop load run: `clients` concurrent workers each send one request after another for
/// `seconds`, and every request's latency is kept (for percentiles) along with the failures.
struct LoadRun {
    let requests: Int
    let seconds: Double
    let failures: Int
    let sortedLatencies: [Double]

    var perSecond: Double { Double(requests) / seconds }

    /// The latency below which `fraction` of the requests finished, in milliseconds.
    func percentile(_ fraction: Double) -> Double {
        guard !sortedLatencies.isEmpty else { return .nan }
        let index = min(sortedLatencies.count - 1, Int((Double(sortedLatencies.count) * fraction).rounded(.up)) - 1)
        return sortedLatencies[max(0, index)]
    }

    var p50: Double { percentile(0.50) }
    var p99: Double { percentile(0.99) }

    /// Runs `operation` (which throws or returns false on failure) from `clients` workers.
    static func run(clients: Int, seconds: Int, _ operation: @escaping @Sendable (Int) async throws -> Bool) async throws -> LoadRun {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .seconds(seconds)
        let results = try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
            for worker in 0..<clients {
                group.addTask {
                    var latencies: [Double] = []
                    var failures = 0
                    var sequence = worker * 1_000_000
                    while clock.now < deadline {
                        let began = clock.now
                        let ok = (try? await operation(sequence)) ?? false
                        latencies.append((clock.now - began).milliseconds)
                        if !ok { failures += 1 }
                        sequence += 1
                    }
                    return (latencies, failures)
                }
            }
            return try await group.reduce(into: [([Double], Int)]()) { $0.append($1) }
        }
        let elapsed = (clock.now - start).milliseconds / 1000
        let latencies = results.flatMap(\.0).sorted()
        return LoadRun(requests: latencies.count, seconds: elapsed, failures: results.reduce(0) { $0 + $1.1 }, sortedLatencies: latencies)
    }

    /// One HTTP request with `token` (a POST of `json` when given, else a GET); true for a 2xx answer.
    static func http(_ client: HTTPClient, _ url: String, token: String, json: String? = nil) async throws -> Bool {
        var request = HTTPClientRequest(url: url)
        if json != nil { request.method = .POST }
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 16 << 20)
        return (200..<300).contains(Int(response.status.code))
    }

    var summary: String {
        "\(format(perSecond, 0))/s, p50 \(format(p50)) ms, p99 \(format(p99)) ms\(failures > 0 ? ", \(failures) FAILED" : "")"
    }
}
