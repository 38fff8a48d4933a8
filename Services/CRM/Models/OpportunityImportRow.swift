import Foundation

/// A validated row of an opportunities CSV: what to create, and whether to close it right after
/// (historic deals are loaded won or lost, so analytics and customer value see them).
struct OpportunityImportRow: Sendable {
    var input: OpportunityInput
    /// `.won` or `.lost` closes the new opportunity through the usual won/lost step; `.open` leaves it.
    var status: OpportunityStatus
    var closeReason: String?
}
