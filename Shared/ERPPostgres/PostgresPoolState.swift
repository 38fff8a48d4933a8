/// The bookkeeping of `PostgresPool`, kept inside its mutex. Pure state transitions; the pool
/// performs the returned actions (resuming waiters, closing handles) after unlocking.
struct PostgresPoolState {
    /// What a caller waiting for a connection receives.
    enum Grant: Sendable {
        /// An idle connection, to be health-checked before use.
        case connection(PostgresConnectionHandle)
        /// Permission to open a new connection (the slot is already counted).
        case openSlot
    }

    struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Grant, any Error>
        var timeoutTask: Task<Void, Never>?

        func resume(with result: Result<Grant, any Error>) {
            timeoutTask?.cancel()
            continuation.resume(with: result)
        }
    }

    enum Acquisition {
        case granted(Grant)
        case failed(any Error)
        case queued
    }

    /// Work the pool must do after a release.
    struct ReleaseActions {
        var handOver: (Waiter, Grant)?
        var handleToClose: PostgresConnectionHandle?
        var shutDownExecutor = false
    }

    let capacity: Int
    /// Connections open or being opened, lent or idle; never above `capacity`.
    private(set) var openCount = 0
    private var idle: [PostgresConnectionHandle] = []
    /// First come, first served.
    private var waiters: [Waiter] = []
    private(set) var isClosed = false
    private var lastConnectionID = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    mutating func nextConnectionID() -> Int {
        lastConnectionID += 1
        return lastConnectionID
    }

    /// An idle connection, a slot to open one, or a place in the queue.
    mutating func acquire(id: Int, continuation: CheckedContinuation<Grant, any Error>, isCancelled: Bool) -> Acquisition {
        if isClosed { return .failed(PostgresPool.closedError) }
        if isCancelled { return .failed(CancellationError()) }
        // Queued callers go first even if a connection is idle right now (it is on its way to them).
        if waiters.isEmpty {
            if let handle = idle.popLast() { return .granted(.connection(handle)) }
            if openCount < capacity {
                openCount += 1
                return .granted(.openSlot)
            }
        }
        waiters.append(Waiter(id: id, continuation: continuation))
        return .queued
    }

    /// Attaches the timeout task to a queued waiter; false when the waiter is already gone.
    mutating func attach(timeoutTask: Task<Void, Never>, toWaiter id: Int) -> Bool {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return false }
        waiters[index].timeoutTask = timeoutTask
        return true
    }

    mutating func removeWaiter(id: Int) -> Waiter? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index)
    }

    /// A borrower is done with `handle`; `reusable` is false when it was closed or is broken.
    mutating func release(_ handle: PostgresConnectionHandle, reusable: Bool) -> ReleaseActions {
        var actions = ReleaseActions()
        if reusable && !isClosed {
            if waiters.isEmpty {
                idle.append(handle)
            } else {
                actions.handOver = (waiters.removeFirst(), .connection(handle))
            }
            return actions
        }
        actions.handleToClose = handle
        actions.handOver = releaseSlotLocked(&actions)
        return actions
    }

    /// A slot whose connection failed to open (or was discarded) is free again.
    mutating func releaseSlot() -> ReleaseActions {
        var actions = ReleaseActions()
        actions.handOver = releaseSlotLocked(&actions)
        return actions
    }

    private mutating func releaseSlotLocked(_ actions: inout ReleaseActions) -> (Waiter, Grant)? {
        openCount -= 1
        if isClosed {
            actions.shutDownExecutor = openCount == 0
            return nil
        }
        guard !waiters.isEmpty else { return nil }
        openCount += 1
        return (waiters.removeFirst(), .openSlot)
    }

    /// Refuses new work; returns the idle connections to close and the waiters to fail.
    mutating func close() -> (idle: [PostgresConnectionHandle], waiters: [Waiter], shutDownExecutor: Bool) {
        guard !isClosed else { return ([], [], false) }
        isClosed = true
        let closing = idle
        let failing = waiters
        idle.removeAll()
        waiters.removeAll()
        openCount -= closing.count
        return (closing, failing, openCount == 0)
    }
}
