import ERPTestSupport
import Foundation

/// One wrk run (`wrk -t1 -c<connections> -d<seconds>s --latency`) and what it reported.
struct WrkRun {
    let requestsPerSecond: Double
    let p50Milliseconds: Double
    let p99Milliseconds: Double
    /// Responses that were not 2xx/3xx plus socket errors: a run with any is not a fair number.
    let failures: Int

    struct Unparsable: Error, CustomStringConvertible {
        let output: String
        var description: String { "wrk output not understood: \(output.prefix(800))" }
    }

    /// Runs wrk against `url` with `headers` and parses its summary.
    static func run(url: String, connections: Int, seconds: Int, headers: [String] = []) async throws -> WrkRun {
        var arguments = ["wrk", "-t1", "-c\(connections)", "-d\(seconds)s", "--latency", "--timeout", "5s"]
        for header in headers { arguments += ["-H", header] }
        arguments.append(url)
        return try parse(try await ProcessRunner.runOffloaded(arguments))
    }

    /// Reads `Requests/sec:`, the `50%`/`99%` lines of the latency distribution, the non-2xx/3xx
    /// count and the socket error counts.
    static func parse(_ output: String) throws -> WrkRun {
        var rate: Double?
        var p50: Double?
        var p99: Double?
        var failures = 0
        for line in output.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            guard let first = fields.first else { continue }
            switch first {
            case "Requests/sec:": rate = fields.count > 1 ? Double(fields[1]) : nil
            case "50%": p50 = fields.count > 1 ? milliseconds(fields[1]) : nil
            case "99%": p99 = fields.count > 1 ? milliseconds(fields[1]) : nil
            case "Non-2xx": failures += Int(fields.last ?? "") ?? 0
            case "Socket":
                // "Socket errors: connect 0, read 0, write 0, timeout 0"
                for (index, field) in fields.enumerated() where ["connect", "read", "write", "timeout"].contains(field) {
                    failures += index + 1 < fields.count ? Int(fields[index + 1]) ?? 0 : 0
                }
            default: continue
            }
        }
        guard let rate, let p50, let p99 else { throw Unparsable(output: output) }
        return WrkRun(requestsPerSecond: rate, p50Milliseconds: p50, p99Milliseconds: p99, failures: failures)
    }

    /// wrk prints latencies as `812.00us`, `1.23ms` or `1.05s`.
    static func milliseconds(_ text: String) -> Double? {
        for (suffix, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return nil
    }
}
