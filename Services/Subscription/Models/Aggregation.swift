import Foundation

/// How the usage records of a metric add up over its window.
enum Aggregation: String, Codable, Sendable, CaseIterable {
    /// Number of records (e.g. AI queries).
    case count
    /// Sum of the values (e.g. tokens; or +1/−1 deltas for a gauge such as users).
    case sum
    /// Largest value (e.g. peak storage in the period).
    case max
    /// Number of distinct `unique_key`s (e.g. users who used AI).
    case uniqueCount = "unique_count"
    /// Value of the most recent record (e.g. storage reported as a total).
    case latest
}
