import Synchronization

/// Stops calling a dependency that keeps failing, so a dead service costs callers a fast error
/// instead of a timeout each, and lets one probe through after a cool-down to see if it is back.
///
/// closed → (N consecutive failures) → open → (cool-down elapsed) → half-open: one trial call;
/// success closes, failure re-opens.
public final class CircuitBreaker: Sendable {
    public enum State: Sendable, Equatable {
        case closed
        case open
        case halfOpen
    }

    public struct Configuration: Sendable {
        public var failureThreshold: Int
        public var coolDown: Duration

        public init(failureThreshold: Int = 5, coolDown: Duration = .seconds(10)) {
            self.failureThreshold = failureThreshold
            self.coolDown = coolDown
        }
    }

    private struct Storage {
        var state: State = .closed
        var consecutiveFailures = 0
        var openedAt: ContinuousClock.Instant?
        var trialInFlight = false
    }

    private let configuration: Configuration
    private let storage = Mutex(Storage())
    private let clock = ContinuousClock()

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    public var state: State {
        storage.withLock { storage in
            if storage.state == .open, let openedAt = storage.openedAt, clock.now - openedAt >= configuration.coolDown {
                return .halfOpen
            }
            return storage.state
        }
    }

    /// Whether a call may go ahead now. A true answer in half-open state reserves the single trial call.
    public func allowRequest() -> Bool {
        storage.withLock { storage in
            switch storage.state {
            case .closed:
                return true
            case .open:
                guard let openedAt = storage.openedAt, clock.now - openedAt >= configuration.coolDown else { return false }
                storage.state = .halfOpen
                storage.trialInFlight = true
                return true
            case .halfOpen:
                if storage.trialInFlight { return false }
                storage.trialInFlight = true
                return true
            }
        }
    }

    public func recordSuccess() {
        storage.withLock { storage in
            storage = Storage()
        }
    }

    public func recordFailure() {
        storage.withLock { storage in
            storage.trialInFlight = false
            switch storage.state {
            case .halfOpen:
                storage.state = .open
                storage.openedAt = clock.now
            case .closed:
                storage.consecutiveFailures += 1
                if storage.consecutiveFailures >= configuration.failureThreshold {
                    storage.state = .open
                    storage.openedAt = clock.now
                }
            case .open:
                storage.openedAt = clock.now
            }
        }
    }
}
