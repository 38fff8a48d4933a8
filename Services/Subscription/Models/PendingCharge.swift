import Foundation

/// A charge waiting for the next invoice (the proration of a mid-period upgrade).
struct PendingCharge: Sendable, Hashable {
    var id: UUID
    var description: String
    var amountMinor: Int64
    var periodStart: Date
    var periodEnd: Date
}
