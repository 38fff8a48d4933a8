import Synchronization

/// The pool's bookkeeping: at most `capacity` connections exist at once (idle plus leased);
/// callers beyond that wait, and are served in arrival order.
///
/// A lease is either an idle connection to reuse or, as `nil`, the right to open a new one:
/// connections are made lazily, on the executor thread that will use them.
final class ConnectionSlots: Sendable {
    typealias Lease = RedisConnection?

    private struct Waiter: Sendable {
        let id: UInt64
        let continuation: CheckedContinuation<Lease, Error>
    }

    private struct State: Sendable {
        var idle: [RedisConnection] = []
        /// Slots handed out and not yet returned, including those still connecting.
        var leased = 0
        /// FIFO. An array is enough: waiting only happens when every connection is busy,
        /// and a queue deeper than a few hundred means the pool is badly undersized anyway.
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
        var isClosed = false
        /// `close()` callers waiting for every lease to come back.
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Waits for a free slot. Throws `RedisError(.poolClosed)` after `close()`, and
    /// `CancellationError` when the task is cancelled while waiting.
    func checkout() async throws -> Lease {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Lease, Error>) in
                let immediate: Result<Lease, Error>? = state.withLock { state in
                    if state.isClosed { return .failure(Self.closedError) }
                    // Checked under the lock: either the cancel handler below finds this waiter
                    // queued, or cancellation was already flagged and is seen here.
                    if Task.isCancelled { return .failure(CancellationError()) }
                    // Most recently used first: it is the one least likely to have been idled out.
                    if let connection = state.idle.popLast() {
                        state.leased += 1
                        return .success(connection)
                    }
                    if state.leased + state.idle.count < capacity {
                        state.leased += 1
                        return .success(nil)
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Returns a slot: `connection` is the healthy connection to keep, or nil when it was dropped.
    /// The next waiter, if any, takes the slot over directly, so nobody can jump the queue.
    func checkin(_ connection: RedisConnection?) {
        let (waiter, closeWaiters, dropped): (Waiter?, [CheckedContinuation<Void, Never>], RedisConnection?) =
            state.withLock { state in
                if state.isClosed {
                    state.leased -= 1
                    guard state.leased == 0 else { return (nil, [], connection) }
                    defer { state.closeWaiters = [] }
                    return (nil, state.closeWaiters, connection)
                }
                if !state.waiters.isEmpty {
                    return (state.waiters.removeFirst(), [], nil)
                }
                state.leased -= 1
                if let connection { state.idle.append(connection) }
                return (nil, [], nil)
            }
        waiter?.continuation.resume(returning: connection)
        for closeWaiter in closeWaiters { closeWaiter.resume() }
        // Released outside the lock: deinit closes the socket.
        _ = dropped
    }

    /// Refuses new checkouts, fails queued waiters, closes idle connections and returns once
    /// every leased connection has been checked back in.
    func close() async {
        let (waiters, idle) = state.withLock { state in
            state.isClosed = true
            defer {
                state.waiters = []
                state.idle = []
            }
            return (state.waiters, state.idle)
        }
        for waiter in waiters { waiter.continuation.resume(throwing: Self.closedError) }
        _ = idle
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let drained = state.withLock { state in
                if state.leased == 0 { return true }
                state.closeWaiters.append(continuation)
                return false
            }
            if drained { continuation.resume() }
        }
    }

    private static let closedError = RedisError(.poolClosed, "the Redis pool is shut down")
}
