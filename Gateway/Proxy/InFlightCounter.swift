import Synchronization

/// Requests in flight on one event loop (read from other threads when shutdown waits for the
/// sum over all loops to reach zero).
final class InFlightCounter: Sendable {
    private let value = Atomic<Int>(0)

    var current: Int { value.load(ordering: .relaxed) }

    func increment() {
        value.add(1, ordering: .relaxed)
    }

    func decrement() {
        value.subtract(1, ordering: .relaxed)
    }
}
