import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A private `redis-server` on its own loopback port, for tests that must stop, restart or
/// reconfigure Redis (`SCRIPT FLUSH`, `requirepass`, `CLIENT LIST`) without touching the shared
/// server other tests use. `stop()` and `start()` keep the same port, so a client can be
/// pointed at it once and watched while Redis goes away and comes back.
///
/// The server runs in the foreground (not `--daemonize`) as this process's direct child, started
/// by `ProcessRunner.spawn` (clean signal mask, no inherited descriptors), so it honours SIGTERM
/// and is reaped on `stop()` instead of lingering as a zombie.
///
/// Call `cleanup()` when done (e.g. in a `defer`); deinit does it too as a safety net.
public final class TemporaryRedisServer: Sendable {
    /// Why the server could not be started or stopped.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: Int
    /// Holds the pid file and log; removed by `cleanup()`.
    public let directory: URL
    /// Extra `redis-server` options, e.g. `["--requirepass", "secret"]`.
    public let extraArguments: [String]

    private let child = Mutex<pid_t?>(nil)

    /// `redis://127.0.0.1:<port>`, without credentials.
    public var url: String { "redis://127.0.0.1:\(port)" }

    /// Picks a free port, creates a temporary directory and starts the server.
    public init(extraArguments: [String] = []) throws {
        self.port = FreePort.find()
        self.extraArguments = extraArguments
        self.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("erp-redis-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try start()
    }

    deinit {
        cleanup()
    }

    /// Starts the server on `port` and waits until it accepts connections.
    public func start() throws {
        guard child.withLock({ $0 }) == nil else { return }
        let arguments =
            [
                "redis-server", "--port", "\(port)", "--bind", "127.0.0.1", "--daemonize", "no",
                "--dir", directory.path, "--pidfile", directory.appendingPathComponent("redis.pid").path,
                "--logfile", logFile.path, "--save", "", "--appendonly", "no",
            ] + extraArguments
        let pid = try ProcessRunner.spawn(arguments)
        child.withLock { $0 = pid }

        let deadline = Date().addingTimeInterval(10)
        while !isAcceptingConnections() {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                child.withLock { $0 = nil }
                throw Failure(description: "redis-server on \(port) exited during start-up: \(logTail())")
            }
            guard Date() < deadline else {
                try? stop()
                throw Failure(description: "redis-server on \(port) did not accept connections: \(logTail())")
            }
            usleep(5_000)
        }
    }

    /// Stops the server (SIGTERM: with `--save ''` Redis exits without saving), reaps it and
    /// waits until its port is closed, so clients see a refused connection from then on.
    public func stop() throws {
        guard let pid = child.withLock({ pid in defer { pid = nil }; return pid }) else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() >= deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(5_000)
        }
        while isAcceptingConnections() {
            guard Date() < deadline else { throw Failure(description: "port \(port) still open after stopping redis-server") }
            usleep(5_000)
        }
    }

    /// Stops the server if it runs and removes its directory. Safe to call more than once.
    public func cleanup() {
        try? stop()
        try? FileManager.default.removeItem(at: directory)
    }

    private var logFile: URL { directory.appendingPathComponent("redis.log") }

    private func logTail() -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return String(text.suffix(600))
    }

    /// A plain TCP connect: true when something listens on the port.
    private func isAcceptingConnections() -> Bool {
        FreePort.isListening(port)
    }
}
