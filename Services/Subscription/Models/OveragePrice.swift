import Foundation

/// What usage beyond a plan's limit costs: `unitPriceMinor` per started `unitSize` units.
/// A metric with an overage price is billed past its limit instead of refused.
struct OveragePrice: Codable, Sendable, Hashable {
    var unitPriceMinor: Int64
    var unitSize: Int64

    /// The number of billable units for `excess` units beyond the limit (partial units round up).
    func billableUnits(excess: Int64) -> Int64 {
        guard excess > 0, unitSize > 0 else { return 0 }
        return (excess + unitSize - 1) / unitSize
    }
}
