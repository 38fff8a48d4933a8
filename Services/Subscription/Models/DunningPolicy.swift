import Foundation

/// When failed payments are retried, in days after the first failure: with `[1, 3, 7]` an
/// invoice is tried at its due date, then 1, 3 and 7 days after that first failure. When the
/// last retry fails too, the subscription becomes unpaid (read-only). Configurable with
/// `SUBSCRIPTION_DUNNING_DAYS` (e.g. `1,3,7`).
struct DunningPolicy: Sendable, Hashable {
    var retryDays: [Int]

    static let standard = DunningPolicy(retryDays: [1, 3, 7])

    /// When to try again after `failedAttempts` failures, the first at `firstFailureAt`; nil
    /// when dunning gives up.
    func nextAttempt(afterFailures failedAttempts: Int, firstFailureAt: Date) -> Date? {
        guard failedAttempts >= 1, failedAttempts <= retryDays.count else { return nil }
        return BillingInterval.adding(days: retryDays[failedAttempts - 1], to: firstFailureAt)
    }
}
