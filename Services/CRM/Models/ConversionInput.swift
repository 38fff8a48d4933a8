import ERPProtocol
import Foundation

/// `POST /v1/leads/{id}/convert`: what the qualified lead becomes. Everything is optional: by
/// default the contact and company are found by the lead's email and website domain or created
/// from the lead, and the opportunity is named after the company with the lead's budget.
struct ConversionInput: Decodable, Sendable {
    struct OpportunityPart: Decodable, Sendable {
        var name: String?
        var amount: Money?
        var pipelineId: UUID?
        var stageId: UUID?
        var expectedCloseDate: CalendarDate?
    }

    /// Use this contact instead of finding or creating one.
    var contactId: UUID?
    /// Use this company instead of finding or creating one.
    var companyId: UUID?
    /// false: convert without a company even when the lead names one.
    var createCompany: Bool?
    var opportunity: OpportunityPart?
}
