import ERPPostgres
import ERPProtocol
import Foundation

/// Converts a qualified lead into a contact, a company and an opportunity. Runs inside the
/// caller's single transaction: if any step fails (the opportunity insert included), nothing of
/// it is written — no contact, no company, no events, and the lead stays qualified.
struct LeadConversion {
    let tx: CRMTransaction

    init(_ tx: CRMTransaction) { self.tx = tx }

    struct Result: Sendable {
        var lead: Lead
        var contact: Contact
        var company: Company?
        var opportunity: Opportunity
    }

    func convert(_ id: UUID, input: ConversionInput, expectedVersion: Int64?) async throws -> Result {
        let leads = LeadWorkflow(tx)
        var lead = try await leads.live(id, expectedVersion: expectedVersion)
        guard lead.status == .qualified else { throw CRMError.leadNotConvertible(lead.status.rawValue) }

        let company = try await resolveCompany(lead, input)
        let contact = try await resolveContact(lead, input, company: company)

        var opportunityInput = OpportunityInput()
        let part = input.opportunity
        opportunityInput.name = part?.name ?? "\(company?.name ?? lead.companyName ?? lead.displayName) deal"
        opportunityInput.amount = part?.amount ?? lead.scoring.budget
        if opportunityInput.amount == nil {
            throw ProblemDetails.validation([.required("opportunity.amount", message: "The lead has no budget; give the opportunity's amount.")])
        }
        opportunityInput.pipelineId = part?.pipelineId
        opportunityInput.stageId = part?.stageId
        opportunityInput.expectedCloseDate = part?.expectedCloseDate
        opportunityInput.companyId = company?.id
        opportunityInput.contactId = contact.id
        opportunityInput.ownerId = lead.ownerID
        opportunityInput.tags = lead.tags
        // The new records keep the lead's owner: carried over, not named by the caller.
        let opportunity = try await OpportunityWorkflow(tx).create(opportunityInput, leadID: lead.id, checkOwner: false)

        let previous = lead
        lead.status = .converted
        lead.statusReason = nil
        lead.convertedAt = tx.now
        lead.convertedBy = tx.actor
        lead.convertedContactID = contact.id
        lead.convertedCompanyID = company?.id
        lead.convertedOpportunityID = opportunity.id
        try await leads.saveNext(&lead)
        try await leads.publishStatusChange(lead, from: previous.status, reason: nil)
        var notes: [CRMTransaction.TimelineNote] = [
            .init(recordType: .lead, recordID: lead.id, summary: "Converted to contact \(contact.displayName) and opportunity \(opportunity.name)"),
            .init(recordType: .contact, recordID: contact.id, summary: "Converted from lead \(lead.displayName)"),
        ]
        if let company { notes.append(.init(recordType: .company, recordID: company.id, summary: "Converted from lead \(lead.displayName)")) }
        try await tx.publish(
            EventType.CRM.leadConverted, subject: lead.id,
            LeadConverted(leadId: lead.id, contactId: contact.id, companyId: company?.id, opportunityId: opportunity.id, convertedBy: tx.actor),
            timeline: notes)
        return Result(lead: lead, contact: contact, company: company, opportunity: opportunity)
    }

    /// The named company; else a live company with the lead's website domain; else a new one
    /// from the lead's company name (none when the lead names no company or `createCompany` is false).
    private func resolveCompany(_ lead: Lead, _ input: ConversionInput) async throws -> Company? {
        if let id = input.companyId { return try await CompanyWorkflow(tx).live(id, field: "companyId") }
        guard input.createCompany != false else { return nil }
        if let domain = lead.website.flatMap({ Normalize.domain($0) }),
            let existing = try await CompanyRepository(tx.connection).liveID(domain: domain)
        {
            return try await CompanyWorkflow(tx).live(existing)
        }
        guard let name = lead.companyName else { return nil }
        var company = CompanyInput()
        company.name = name
        company.website = lead.website
        company.industry = lead.scoring.industry
        company.ownerId = lead.ownerID
        return try await CompanyWorkflow(tx).create(company, checkOwner: false)
    }

    /// The named contact; else the live contact with the lead's email; else a new one. Either
    /// way it ends up linked to the company (primary when it had no primary company).
    private func resolveContact(_ lead: Lead, _ input: ConversionInput, company: Company?) async throws -> Contact {
        let contacts = ContactWorkflow(tx)
        var existing: UUID? = input.contactId
        if existing == nil, let email = lead.email { existing = try await ContactRepository(tx.connection).liveID(email: email) }
        if let id = existing {
            let contact = try await contacts.live(id, field: input.contactId == nil ? nil : "contactId")
            guard let company, !contact.companies.contains(where: { $0.companyID == company.id }) else { return contact }
            return try await contacts.link(id, company: company.id, role: lead.title ?? "", isPrimary: !contact.companies.contains(where: \.isPrimary))
        }
        var contact = ContactInput()
        contact.firstName = lead.firstName
        contact.lastName = lead.lastName
        contact.email = lead.email
        contact.phone = lead.phone
        contact.title = lead.title
        contact.ownerId = lead.ownerID
        contact.tags = lead.tags
        if let company { contact.companies = [.init(companyId: company.id, role: lead.title, isPrimary: true)] }
        return try await contacts.create(contact, checkOwner: false)
    }
}
