import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts child processes for test fixtures and benchmarks (servers, pg_ctl, pgbench).
///
/// Not Foundation's `Process`: on Linux it notices a child's exit through a socket the child
/// inherits (so a daemon the child leaves behind makes `waitUntilExit` hang), and the child
/// inherits the signal mask of the spawning thread, where Swift blocks most signals (so a server
/// ignores SIGTERM and pgbench's `-T` timer never fires). Here children get an empty signal mask,
/// default dispositions, stdin from /dev/null, no inherited descriptors, their own process group.
public enum ProcessRunner {
    public struct Failure: Error, CustomStringConvertible {
        public let command: String
        public let status: Int32
        public let output: String
        public var description: String { "`\(command)` exited with \(status): \(output)" }
    }

    /// Runs `arguments` (argv[0] looked up on PATH) to completion and returns its combined
    /// output; throws on a non-zero exit. Blocks the calling thread: use `runOffloaded` from async code.
    @discardableResult
    public static func run(_ arguments: [String]) throws -> String {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("erp-run-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let pid = try spawn(arguments, output: outputFile.path)
        let status = wait(for: pid)
        let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw Failure(command: arguments.joined(separator: " "), status: status, output: output)
        }
        return output
    }

    /// `run` on a thread of its own, so the blocking wait stays off Swift's cooperative pool.
    @discardableResult
    public static func runOffloaded(_ arguments: [String]) async throws -> String {
        try await offloaded { try run(arguments) }
    }

    /// Runs `work` on a fresh thread and resumes with its result.
    public static func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try work() })
            }
        }
    }

    /// Starts `arguments` in the background with output to `output` (a path, or /dev/null) and
    /// returns its pid; the caller stops it and reaps it with `wait(for:)`.
    public static func spawn(_ arguments: [String], output: String = "/dev/null") throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // glibc's closefrom action is not visible to Swift; closing what is open now has the same
        // effect (glibc ignores descriptors that were closed meanwhile).
        let openDescriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in openDescriptors.compactMap({ Int32($0) }) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2, SIGCHLD, SIGALRM] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // Own process group: a terminal's Ctrl-C goes to the test run, which then stops its children itself.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw Failure(command: arguments.joined(separator: " "), status: -1, output: String(cString: strerror(result)))
        }
        return pid
    }

    /// Reaps `pid` and returns its exit status (128 + signal when it was killed).
    @discardableResult
    public static func wait(for pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// True when the effective user is root (PostgreSQL must then run as `postgres`).
    public static var isRoot: Bool { geteuid() == 0 }
}
