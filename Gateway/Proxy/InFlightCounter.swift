import Synchronization

/// Requests in flight in the whole process: shutdown waits for it to reach zero.
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
