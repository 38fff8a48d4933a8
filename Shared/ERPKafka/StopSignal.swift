import Synchronization

/// A one-way flag that blocking poll loops check between short polls, so they can be told to
/// stop without holding a reference to the object that owns them.
final class StopSignal: Sendable {
    private let stopped = Atomic<Bool>(false)

    var isStopped: Bool { stopped.load(ordering: .acquiring) }

    /// Raises the flag; returns true for the caller that raised it first.
    @discardableResult
    func stop() -> Bool {
        !stopped.exchange(true, ordering: .acquiringAndReleasing)
    }
}
