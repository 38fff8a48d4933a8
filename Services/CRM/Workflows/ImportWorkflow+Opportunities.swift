import ERPProtocol
import Foundation

/// The opportunity rows of a CSV import. A row names its pipeline (name or id; default pipeline
/// when empty), its stage by name within that pipeline (default: the first open stage), its
/// company by domain and contact by email (live records), and optionally `status` won or lost
/// (lost needs `closeReason`). Rows are created through `OpportunityWorkflow`, so each gets the
/// same events, stage history and timeline notes as one created through the API.
extension ImportWorkflow {
    /// The tenant's pipelines for resolving rows; the default pipeline is seeded if missing.
    func importPipelines() async throws -> [Pipeline] {
        _ = try await PipelineWorkflow(tx).resolve(nil)
        return try await PipelineRepository(tx.connection).all()
    }

    /// The live company with this domain (normalized as companies store it).
    func liveCompany(domain: String) async throws -> UUID? {
        guard let normalized = Normalize.domain(domain) else { return nil }
        return try await CompanyRepository(tx.connection).liveID(domain: normalized)
    }

    func opportunityRow(
        _ row: [String: String], owner: UserID?, custom: [String: JSONValue], definitions: [CustomFieldDefinition], pipelines: [Pipeline],
        issues: inout [FieldIssue], prefix: String
    ) async throws -> OpportunityImportRow {
        var input = OpportunityInput()
        input.name = RecordCSV.text(row, "name")
        input.amount = RecordCSV.money(row, amount: "amount", currency: "currency", issues: &issues, prefix: prefix)
        input.expectedCloseDate = RecordCSV.parsed(row, "expectedCloseDate", issues: &issues, prefix: prefix, expected: "A date, YYYY-MM-DD.") {
            CalendarDate($0)
        }
        input.ownerId = owner
        input.description = RecordCSV.text(row, "description")
        input.tags = RecordCSV.tags(row)
        input.customFields = custom

        let status = RecordCSV.parsed(row, "status", issues: &issues, prefix: prefix, expected: "open, won or lost.") {
            OpportunityStatus(rawValue: $0.lowercased())
        } ?? .open
        let closeReason = RecordCSV.text(row, "closeReason")
        if status == .lost, closeReason == nil {
            issues.append(.required("\(prefix)closeReason", message: "Say why the opportunity was lost."))
        } else if status == .open, closeReason != nil {
            issues.append(.invalid("\(prefix)closeReason", message: "Only for won or lost opportunities."))
        } else if let closeReason, closeReason.count > 500 {
            issues.append(.outOfRange("\(prefix)closeReason", message: "At most 500 characters."))
        }

        let pipelineText = RecordCSV.text(row, "pipeline")
        let pipeline = pipelineText.map { text in
            pipelines.first { $0.id.lowercased == text.lowercased() || $0.name.lowercased() == text.lowercased() }
        } ?? pipelines.first(where: \.isDefault)
        if let pipeline {
            input.pipelineId = pipeline.id
            if let stageText = RecordCSV.text(row, "stage") {
                let stage = pipeline.stages.first { $0.name.lowercased() == stageText.lowercased() }
                switch (stage?.kind, status) {
                case (nil, _): issues.append(.invalid("\(prefix)stage", message: "No stage of \(pipeline.name) has this name."))
                case (.some(.open), .open): input.stageId = stage?.id
                case (.some(.won), .won), (.some(.lost), .lost): break  // created in the first open stage, then closed into it
                case (_, .open): issues.append(.invalid("\(prefix)stage", message: "An open stage; a closed one needs status won or lost."))
                case (_, let closed): issues.append(.invalid("\(prefix)stage", message: "The pipeline's \(closed.rawValue) stage, or empty."))
                }
            }
        } else {
            issues.append(.invalid("\(prefix)pipeline", message: "No pipeline has this name or id."))
        }

        if let domain = RecordCSV.text(row, "companyDomain") {
            input.companyId = try await liveCompany(domain: domain)
            if input.companyId == nil { issues.append(.invalid("\(prefix)companyDomain", message: "No company has this domain.")) }
        }
        if let email = RecordCSV.text(row, "contactEmail") {
            if let normalized = Normalize.email(email) { input.contactId = try await ContactRepository(tx.connection).liveID(email: normalized) }
            if input.contactId == nil { issues.append(.invalid("\(prefix)contactEmail", message: "No contact has this email.")) }
        }

        var draft = Opportunity.draft(pipelineID: pipeline?.id ?? UUID(), stageID: UUID(), leadID: nil, createdBy: tx.actor, at: tx.now)
        var recordIssues: [FieldIssue] = []
        validate(&recordIssues, prefix: prefix) { try input.validated(into: &draft, definitions: definitions) }
        // An amount or currency cell that did not parse is already reported; "amount is required" would repeat it.
        let amountReported = issues.contains { $0.field == "\(prefix)amount" || $0.field == "\(prefix)currency" }
        issues += recordIssues.filter { !(amountReported && $0.field == "\(prefix)amount") }
        return OpportunityImportRow(input: input, status: status, closeReason: closeReason)
    }

    /// Creates the opportunity of a validated row and closes it when the row says won or lost.
    func create(_ row: OpportunityImportRow) async throws -> UUID {
        let workflow = OpportunityWorkflow(tx)
        // The owner was checked with every other row's before anything was written.
        let opportunity = try await workflow.create(row.input, checkOwner: false)
        if row.status != .open {
            _ = try await workflow.close(opportunity.id, won: row.status == .won, reason: row.closeReason, expectedVersion: nil)
        }
        return opportunity.id
    }
}
