import Synchronization

/// Lets one task wake another that waits between polls (the scheduler when work was queued, a
/// WebSocket stream when a notification was stored) instead of waiting for its next poll.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var sleeper: Task<Void, Never>?
    }

    private let state = Mutex(State())

    func wake() {
        let sleeper = state.withLock { state -> Task<Void, Never>? in
            state.pending = true
            return state.sleeper
        }
        sleeper?.cancel()
    }

    /// Sleeps up to `duration`, less when woken (or when a wake came since the last wait).
    func wait(_ duration: Duration) async {
        let sleeper = Task<Void, Never> { try? await Task.sleep(for: duration) }
        let woken = state.withLock { state -> Bool in
            if state.pending {
                state.pending = false
                return true
            }
            state.sleeper = sleeper
            return false
        }
        if woken {
            sleeper.cancel()
            return
        }
        await sleeper.value
        state.withLock {
            $0.sleeper = nil
            $0.pending = false
        }
    }
}
