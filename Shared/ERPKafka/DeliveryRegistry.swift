import Synchronization

/// The producer's in-flight sends, keyed by the id passed to librdkafka as the message opaque,
/// so the delivery-report callback can resume the task that is waiting for it.
final class DeliveryRegistry: Sendable {
    /// What a single produce attempt led to.
    enum Outcome: Sendable {
        case delivered(KafkaDeliveryReport)
        /// librdkafka's queue was full; the caller waits and tries again.
        case queueFull
    }

    typealias Waiter = CheckedContinuation<Outcome, any Error>

    private struct State {
        var nextID: UInt = 1  // 0 would turn into a null opaque pointer
        var waiters: [UInt: Waiter] = [:]
        var isClosed = false
    }

    private let state = Mutex(State())

    /// Registers a waiter and returns its id, or nil once the producer is shutting down.
    func register(_ waiter: Waiter) -> UInt? {
        state.withLock { state in
            guard !state.isClosed else { return nil }
            let id = state.nextID
            state.nextID &+= 1
            if state.nextID == 0 { state.nextID = 1 }
            state.waiters[id] = waiter
            return id
        }
    }

    /// Removes and returns the waiter for `id` (nil when it was already resumed).
    func take(_ id: UInt) -> Waiter? {
        state.withLock { $0.waiters.removeValue(forKey: id) }
    }

    var pendingCount: Int {
        state.withLock { $0.waiters.count }
    }

    /// Refuses further registrations; returns true for the first caller.
    func close() -> Bool {
        state.withLock { state in
            defer { state.isClosed = true }
            return !state.isClosed
        }
    }

    /// Fails every waiter still registered (their messages can no longer be reported).
    func failAll(with error: KafkaError) {
        let waiters = state.withLock { state in
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters {
            waiter.resume(throwing: error)
        }
    }
}
