import ERPProtocol
import Foundation

/// Opportunity list filters beyond the shared ones. Amount bounds are in minor units and, like
/// the expected close date bounds, inclusive.
struct OpportunityFilter: Sendable, Equatable {
    var status: OpportunityStatus?
    var pipelineID: UUID?
    var stageID: UUID?
    var companyID: UUID?
    var contactID: UUID?
    var currency: CurrencyCode?
    var minAmount: Int64?
    var maxAmount: Int64?
    var closeFrom: CalendarDate?
    var closeTo: CalendarDate?
}
