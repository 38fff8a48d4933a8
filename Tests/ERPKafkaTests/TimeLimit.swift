import Synchronization

/// Raised when a test step did not finish in time.
struct TimeLimitExceeded: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "did not finish within \(limit)" }
}

/// Waits for a task's value without ever hanging the test: a send that waits for a broker
/// ignores cancellation by design, so a task group (which awaits its children) cannot bound it.
enum TimeLimit {
    static func value<Success: Sendable>(of task: Task<Success, any Error>, within limit: Duration) async throws -> Success {
        let once = ResumeOnce<Success>()
        return try await withCheckedThrowingContinuation { continuation in
            once.set(continuation)
            Task {
                do { once.resume(with: .success(try await task.value)) } catch { once.resume(with: .failure(error)) }
            }
            Task {
                try? await Task.sleep(for: limit)
                if once.resume(with: .failure(TimeLimitExceeded(limit: limit))) {
                    task.cancel()
                }
            }
        }
    }

    /// Runs `body` in a new task and waits for it at most `limit`.
    static func run<Success: Sendable>(within limit: Duration, _ body: @escaping @Sendable () async throws -> Success) async throws -> Success {
        try await value(of: Task { try await body() }, within: limit)
    }
}

/// Resumes a continuation exactly once, whichever side finishes first.
private final class ResumeOnce<Success: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<Success, any Error>?>(nil)

    func set(_ continuation: CheckedContinuation<Success, any Error>) {
        self.continuation.withLock { $0 = continuation }
    }

    @discardableResult
    func resume(with result: Result<Success, any Error>) -> Bool {
        let taken = continuation.withLock { current in
            defer { current = nil }
            return current
        }
        taken?.resume(with: result)
        return taken != nil
    }
}
