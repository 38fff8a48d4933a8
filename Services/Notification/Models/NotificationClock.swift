import Foundation
import Synchronization

/// Where the scheduler and handlers get "now": the wall clock in production, a settable one in
/// tests, so retries, quiet hours and escalation periods can be driven in a second.
protocol NotificationClock: Sendable {
    func now() -> Date
}

struct SystemNotificationClock: NotificationClock {
    func now() -> Date { Date() }
}

/// A clock that only moves when told to.
final class ManualNotificationClock: NotificationClock {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    func now() -> Date { current.withLock { $0 } }

    func advance(seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
