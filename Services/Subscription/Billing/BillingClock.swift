import Foundation
import Synchronization

/// Where the billing code gets "now": the wall clock in production, a settable one in tests,
/// so trials, period ends and dunning can be driven across months in a second.
protocol BillingClock: Sendable {
    func now() -> Date
}

struct SystemBillingClock: BillingClock {
    func now() -> Date { Date() }
}

/// A clock that only moves when told to.
final class ManualBillingClock: BillingClock {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    func now() -> Date { current.withLock { $0 } }

    func set(_ date: Date) { current.withLock { $0 = date } }

    func advance(days: Int) { current.withLock { $0 = BillingInterval.adding(days: days, to: $0) } }
}
