import Foundation
import Synchronization

/// A fixed set of dedicated OS threads for blocking C calls (libpq, hiredis, librdkafka).
///
/// Swift's cooperative pool has one thread per core; a blocking `PQexec` on it stalls every
/// task of the process. Work submitted here runs on threads the executor owns, and the
/// awaiting task is resumed when it finishes.
public final class BlockingExecutor: Sendable {
    private let workQueue = WorkQueue()
    public let name: String

    /// Starts `threadCount` threads named `name-N`.
    public init(threadCount: Int, name: String) {
        precondition(threadCount > 0, "a blocking executor needs at least one thread")
        self.name = name
        for index in 0..<threadCount {
            // Threads hold the queue, not the executor, so dropping the executor shuts them down.
            let threadName = "\(name)-\(index)"
            let thread = Thread { [workQueue] in
                // Best effort, for debuggers: corelibs Foundation drops a name set before start().
                Thread.current.name = threadName
                workQueue.runLoop()
            }
            thread.start()
        }
    }

    deinit {
        shutdown()
    }

    /// Runs `work` on one of the executor's threads and returns its result.
    public func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, Error>) in
            let accepted = submit {
                continuation.resume(with: Swift.Result { try work() })
            }
            if !accepted {
                continuation.resume(throwing: BlockingExecutorError.shutDown)
            }
        }
    }

    /// Queues `work` without waiting for it. Returns false when the executor is shut down.
    @discardableResult
    public func submit(_ work: @escaping @Sendable () -> Void) -> Bool {
        workQueue.enqueue(work)
    }

    /// Lets queued work finish, then stops the threads. Later submissions fail.
    public func shutdown() {
        workQueue.close()
    }

    /// True when called on one of this executor's threads.
    public var isCurrentThreadOwned: Bool {
        workQueue.ownsCurrentThread()
    }
}

/// The queue shared by an executor's threads.
private final class WorkQueue: @unchecked Sendable {  // all mutable state is guarded by `condition`
    private let condition = NSCondition()
    private var items: [@Sendable () -> Void] = []
    private var isClosed = false
    private let threadIDs = Mutex<Set<UInt>>([])

    func ownsCurrentThread() -> Bool {
        let current = UInt(pthread_self())
        return threadIDs.withLock { $0.contains(current) }
    }

    func enqueue(_ work: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !isClosed else { return false }
        items.append(work)
        condition.signal()
        return true
    }

    func close() {
        condition.lock()
        isClosed = true
        condition.broadcast()
        condition.unlock()
    }

    func runLoop() {
        threadIDs.withLock { _ = $0.insert(UInt(pthread_self())) }
        while true {
            condition.lock()
            while items.isEmpty && !isClosed {
                condition.wait()
            }
            if items.isEmpty {
                condition.unlock()
                return
            }
            let work = items.removeFirst()
            condition.unlock()
            work()
        }
    }
}

/// Raised when work is submitted to an executor that was shut down.
public enum BlockingExecutorError: Error, CustomStringConvertible {
    case shutDown

    public var description: String { "blocking executor is shut down" }
}
