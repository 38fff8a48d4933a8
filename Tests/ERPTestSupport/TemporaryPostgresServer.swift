import Foundation

/// A private PostgreSQL server for tests that must stop or restart it (the local stack's shared
/// server must never be restarted). Data lives in a fresh temporary directory; `stop()` (also run
/// on deinit) stops the server and removes the directory.
///
/// As root, initdb and postgres run as the `postgres` user: the directory's parents are made
/// traversable (0755) and the data directory is owned by `postgres`.
///
///     let server = try await TemporaryPostgresServer.start()
///     defer { server.stop() }
public final class TemporaryPostgresServer: @unchecked Sendable {  // `isStopped` is guarded by `lock`; everything else is immutable
    public static let binaries = URL(fileURLWithPath: "/usr/lib/postgresql/15/bin")

    public let port: Int
    public let directory: URL
    private let lock = NSLock()
    private var isStopped = false

    private var dataDirectory: URL { directory.appendingPathComponent("data") }

    /// `postgres://postgres@127.0.0.1:PORT/postgres` (superuser, trust authentication).
    public var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    /// initdb + start on a free loopback port (~1 s), off the cooperative pool.
    public static func start() async throws -> TemporaryPostgresServer {
        try await ProcessRunner.offloaded { try startBlocking() }
    }

    /// initdb + start on a free loopback port (~1 s). Retries with another port if it was taken meanwhile.
    public static func startBlocking() throws -> TemporaryPostgresServer {
        let directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("erp-pg-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        let data = directory.appendingPathComponent("data")
        do {
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: false)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: data.path)
            if ProcessRunner.isRoot {
                try FileManager.default.setAttributes([.ownerAccountName: "postgres", .groupOwnerAccountName: "postgres"], ofItemAtPath: data.path)
            }
            try runAsPostgres(
                [binaries.appendingPathComponent("initdb").path, "-D", data.path, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                in: directory
            )
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        var lastError: (any Error)?
        for _ in 0..<3 {
            let server = TemporaryPostgresServer(port: FreePort.find(), directory: directory)
            do {
                try server.pgctl(["start"])
                return server
            } catch {
                lastError = error
                server.lock.withLock { server.isStopped = true }  // nothing to stop; keep the directory for the next port
            }
        }
        try? FileManager.default.removeItem(at: directory)
        throw lastError!
    }

    private init(port: Int, directory: URL) {
        self.port = port
        self.directory = directory
    }

    deinit {
        stop()
    }

    /// `pg_ctl restart -m fast`: sessions are terminated (FATAL 57P01), the server comes back on the same port.
    public func restart() async throws {
        try await ProcessRunner.offloaded { [self] in try pgctl(["-m", "fast", "restart"]) }
    }

    /// Stops the server but keeps its data, for tests of what clients do while it is down.
    public func pause() async throws {
        try await ProcessRunner.offloaded { [self] in try pgctl(["-m", "fast", "stop"]) }
    }

    /// Starts a paused server again on the same port with the same data.
    public func resume() async throws {
        try await ProcessRunner.offloaded { [self] in try pgctl(["start"]) }
    }

    /// Stops the server (fast shutdown) and removes its directory. Safe to call more than once.
    public func stop() {
        let wasStopped = lock.withLock {
            defer { isStopped = true }
            return isStopped
        }
        guard !wasStopped else { return }
        try? pgctl(["-m", "fast", "stop"])
        try? FileManager.default.removeItem(at: directory)
    }

    private func pgctl(_ action: [String]) throws {
        let options = "-p \(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=\(dataDirectory.path) -c fsync=off"
        try Self.runAsPostgres(
            [
                Self.binaries.appendingPathComponent("pg_ctl").path, "-D", dataDirectory.path,
                "-l", dataDirectory.appendingPathComponent("server.log").path, "-w", "-t", "30", "-o", options,
            ] + action,
            in: directory
        )
    }

    private static func runAsPostgres(_ arguments: [String], in directory: URL) throws {
        let command = ProcessRunner.isRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments : arguments
        try ProcessRunner.run(command)
    }
}
