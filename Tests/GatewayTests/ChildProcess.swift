import ERPTestSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A server the test started (erp-gateway, erp-test-upstream), with its environment and a log
/// file; stopped with SIGTERM and reaped by `stop()` (also on deinit).
final class ChildProcess: @unchecked Sendable {  // pid and state change only in start/stop, called from one test at a time
    let arguments: [String]
    let environment: [String: String]
    let port: Int
    let logFile: String
    /// Live once the port accepts connections (a TLS server), not once `/health/live` answers.
    let listeningIsLive: Bool
    private(set) var pid: pid_t?

    init(arguments: [String], environment: [String: String] = [:], port: Int, name: String, listeningIsLive: Bool = false) {
        self.arguments = arguments
        self.listeningIsLive = listeningIsLive
        self.environment = environment
        self.port = port
        self.logFile = FileManager.default.temporaryDirectory.appendingPathComponent("erp-\(name)-\(port).log").path
    }

    deinit {
        stop()
    }

    /// Starts the process and waits until `GET /health/live` answers (or the port listens).
    func start() async throws {
        let env = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        pid = try ProcessRunner.spawn(["env"] + env + arguments, output: logFile)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if listeningIsLive ? FreePort.isListening(port) : await TestHTTP.isLive(port: port) {
                // Whoever answered, this process must still be running (not one that failed to bind).
                if let pid, !Self.hasExited(pid) { return }
                break
            }
            if let pid, Self.hasExited(pid) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        stop()
        throw StartFailure(description: "\(arguments[0]) on \(port) did not become live: \(log.suffix(2000))")
    }

    func stop() {
        guard let pid else { return }
        self.pid = nil
        kill(pid, SIGTERM)
        // Short: this blocks a thread of Swift's cooperative pool (2 on 2 cores), and a server
        // draining keep-alive connections for seconds stalled every other test's tasks with it
        // (timeouts, breakers and idle tunnels then misfired). A test server needs no drain.
        let deadline = Date().addingTimeInterval(1)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                break
            }
            usleep(10_000)
        }
    }

    /// Resident set size now and at its peak, in bytes (from /proc/PID/status).
    func memory() -> (rss: Int, peak: Int) {
        guard let pid, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
        func kilobytes(_ key: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return 0 }
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0").map { $0 * 1024 } ?? 0
        }
        return (kilobytes("VmRSS:"), kilobytes("VmHWM:"))
    }

    var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    private static func hasExited(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }
}
