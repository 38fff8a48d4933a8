import ERPPostgres
import ERPProtocol
import Foundation

/// CSV import: every row is validated first (fields, custom fields, duplicates within the file
/// and against live records, referenced companies, contacts, pipelines and stages); if any row has an issue nothing is written
/// and every issue is reported as `rows.<row>.<column>` (row 1 is the header, as a spreadsheet
/// numbers them). Otherwise every row is created, with its events, in the caller's one transaction.
struct ImportWorkflow {
    let tx: CRMTransaction

    init(_ tx: CRMTransaction) { self.tx = tx }

    /// A row ready to be created.
    private enum Prepared {
        case company(CompanyInput)
        case contact(ContactInput)
        case lead(LeadInput)
        case opportunity(OpportunityImportRow)
    }

    static func failure(_ issues: [FieldIssue], rows: Int) -> ProblemDetails {
        let failedRows = Set(issues.map { $0.field.split(separator: ".").prefix(2).joined(separator: ".") }).count
        return ProblemDetails(
            code: "import_failed", status: 422, title: "Import failed",
            detail: "\(failedRows) of \(rows) rows have errors; nothing was imported.", errors: issues)
    }

    func run(_ type: RecordType, rows table: [[String]], maxRows: Int) async throws -> [UUID] {
        guard let header = table.first?.map({ $0.trimmingCharacters(in: .whitespaces) }), header.contains(where: { !$0.isEmpty }) else {
            throw ProblemDetails.validation([.required("rows.1", message: "The first row names the columns.")])
        }
        let definitions = try await CustomFieldRepository(tx.connection).all(entity: type)
        var known = Set((RecordCSV.importColumns[type] ?? []) + (RecordCSV.exportOnlyColumns[type] ?? []))
        known.formUnion(definitions.map { "custom.\($0.key)" })
        var issues: [FieldIssue] = []
        for (index, column) in header.enumerated() where !known.contains(column) || header.firstIndex(of: column) != index {
            issues.append(.invalid("rows.1.\(column)", message: known.contains(column) ? "This column appears twice." : "Not a column of \(type.plural)."))
        }
        let data = table.dropFirst().enumerated().filter { !$0.element.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard data.count <= maxRows else {
            throw ProblemDetails.validation([.outOfRange("rows", message: "At most \(maxRows) rows per import.")])
        }
        guard issues.isEmpty else { throw Self.failure(issues, rows: data.count) }

        let pipelines = type == .opportunity ? try await importPipelines() : []
        var prepared: [Prepared] = []
        var seenKeys: [String: Int] = [:]
        var namedOwners: [(row: Int, owner: UserID)] = []
        for (offset, cells) in data {
            let rowNumber = offset + 2
            let prefix = "rows.\(rowNumber)."
            guard cells.count == header.count else {
                issues.append(.invalid("rows.\(rowNumber)", message: "\(cells.count) cells; the header has \(header.count)."))
                continue
            }
            let row = Dictionary(uniqueKeysWithValues: zip(header, cells))
            var rowIssues: [FieldIssue] = []
            let custom = RecordCSV.customFields(row, definitions: definitions, issues: &rowIssues, prefix: prefix)
            let owner = RecordCSV.ownerID(row, issues: &rowIssues, prefix: prefix)
            if let owner {
                // Rows owned by others are an assignment: without the permission the import is refused.
                try OwnerCheck(tx).authorize(type, .initial(owner))
                namedOwners.append((rowNumber, owner))
            }
            var dedupeKey: String?
            switch type {
            case .company:
                var input = CompanyInput()
                input.name = RecordCSV.text(row, "name")
                input.domain = RecordCSV.text(row, "domain")
                input.website = RecordCSV.text(row, "website")
                input.industry = RecordCSV.text(row, "industry")
                input.employeeCount = RecordCSV.parsed(row, "employeeCount", issues: &rowIssues, prefix: prefix, expected: "An integer.") { Int($0) }
                input.annualRevenue = RecordCSV.money(row, amount: "annualRevenue", currency: "annualRevenueCurrency", issues: &rowIssues, prefix: prefix)
                input.phone = RecordCSV.text(row, "phone")
                input.address = PostalAddress(
                    street: RecordCSV.text(row, "street"), city: RecordCSV.text(row, "city"), region: RecordCSV.text(row, "region"),
                    postalCode: RecordCSV.text(row, "postalCode"), country: RecordCSV.text(row, "country"))
                input.description = RecordCSV.text(row, "description")
                input.ownerId = owner
                input.tags = RecordCSV.tags(row)
                input.customFields = custom
                var company = Company(
                    id: UUID(), name: "", domain: nil, website: nil, industry: nil, employeeCount: nil, annualRevenue: nil, phone: nil, address: .empty,
                    description: "", ownerID: nil, tags: [], customFields: [:], version: 1, createdBy: tx.actor, createdAt: tx.now, updatedAt: tx.now,
                    deletedAt: nil, mergedInto: nil)
                validate(&rowIssues, prefix: prefix) { try input.validated(into: &company, definitions: definitions) }
                if let domain = company.domain {
                    dedupeKey = "domain:\(domain)"
                    if try await CompanyRepository(tx.connection).liveID(domain: domain) != nil {
                        rowIssues.append(.alreadyTaken("\(prefix)domain", message: "A company with this domain exists."))
                    }
                }
                prepared.append(.company(input))
            case .contact:
                var input = ContactInput()
                input.firstName = RecordCSV.text(row, "firstName")
                input.lastName = RecordCSV.text(row, "lastName")
                input.email = RecordCSV.text(row, "email")
                input.phone = RecordCSV.text(row, "phone")
                input.title = RecordCSV.text(row, "title")
                input.description = RecordCSV.text(row, "description")
                input.ownerId = owner
                input.tags = RecordCSV.tags(row)
                input.customFields = custom
                if let domain = RecordCSV.text(row, "companyDomain") {
                    if let company = try await liveCompany(domain: domain) {
                        input.companies = [.init(companyId: company, role: RecordCSV.text(row, "companyRole"), isPrimary: true)]
                    } else {
                        rowIssues.append(.invalid("\(prefix)companyDomain", message: "No company has this domain."))
                    }
                }
                var contact = Contact(
                    id: UUID(), firstName: "", lastName: "", email: nil, phone: nil, title: nil, description: "", ownerID: nil, tags: [], customFields: [:],
                    version: 1, createdBy: tx.actor, createdAt: tx.now, updatedAt: tx.now, deletedAt: nil, mergedInto: nil)
                validate(&rowIssues, prefix: prefix) { try input.validated(into: &contact, definitions: definitions) }
                if let email = contact.email {
                    dedupeKey = "email:\(email)"
                    if try await ContactRepository(tx.connection).liveID(email: email) != nil {
                        rowIssues.append(.alreadyTaken("\(prefix)email", message: "A contact with this email exists."))
                    }
                }
                prepared.append(.contact(input))
            case .lead:
                var input = LeadInput()
                input.firstName = RecordCSV.text(row, "firstName")
                input.lastName = RecordCSV.text(row, "lastName")
                input.email = RecordCSV.text(row, "email")
                input.phone = RecordCSV.text(row, "phone")
                input.title = RecordCSV.text(row, "title")
                input.companyName = RecordCSV.text(row, "companyName")
                input.website = RecordCSV.text(row, "website")
                input.source = RecordCSV.parsed(row, "source", issues: &rowIssues, prefix: prefix, expected: "A lead source.") { LeadSource(rawValue: $0) }
                    ?? (RecordCSV.text(row, "source") == nil ? .other : nil)
                input.budget = RecordCSV.money(row, amount: "budget", currency: "budgetCurrency", issues: &rowIssues, prefix: prefix)
                input.purchaseTimeline = RecordCSV.parsed(row, "purchaseTimeline", issues: &rowIssues, prefix: prefix, expected: "A purchase timeline.") {
                    PurchaseTimeline(rawValue: $0)
                }
                input.technicalComplexity = RecordCSV.parsed(row, "technicalComplexity", issues: &rowIssues, prefix: prefix, expected: "low, medium or high.") {
                    TechnicalComplexity(rawValue: $0)
                }
                input.decisionRole = RecordCSV.parsed(row, "decisionRole", issues: &rowIssues, prefix: prefix, expected: "A decision role.") {
                    DecisionRole(rawValue: $0)
                }
                input.industry = RecordCSV.text(row, "industry")
                input.description = RecordCSV.text(row, "description")
                input.ownerId = owner
                input.tags = RecordCSV.tags(row)
                input.customFields = custom
                var lead = Lead(
                    id: UUID(), firstName: "", lastName: "", email: nil, phone: nil, title: nil, companyName: nil, website: nil, source: .other,
                    status: .new, statusReason: nil, ownerID: nil,
                    scoring: LeadScoringInput(budget: nil, purchaseTimeline: .unknown, technicalComplexity: .unknown, decisionRole: .unknown, industry: nil),
                    score: nil, scorePriority: nil, scoredAt: nil, convertedAt: nil, convertedBy: nil, convertedContactID: nil, convertedCompanyID: nil,
                    convertedOpportunityID: nil, description: "", tags: [], customFields: [:], version: 1, createdBy: tx.actor, createdAt: tx.now,
                    updatedAt: tx.now, deletedAt: nil)
                if input.source != nil { validate(&rowIssues, prefix: prefix) { try input.validated(into: &lead, definitions: definitions) } }
                prepared.append(.lead(input))
            case .opportunity:
                prepared.append(.opportunity(
                    try await opportunityRow(row, owner: owner, custom: custom, definitions: definitions, pipelines: pipelines, issues: &rowIssues, prefix: prefix)))
            }
            if let dedupeKey {
                if let first = seenKeys[dedupeKey] {
                    let column = dedupeKey.hasPrefix("email") ? "email" : "domain"
                    rowIssues.append(.alreadyTaken("\(prefix)\(column)", message: "Row \(first) has the same \(column)."))
                } else {
                    seenKeys[dedupeKey] = rowNumber
                }
            }
            issues += rowIssues
        }
        issues += try await OwnerCheck(tx).memberIssues(namedOwners.map(\.owner)) { "rows.\(namedOwners[$0].row).ownerId" }
        guard issues.isEmpty else { throw Self.failure(issues, rows: data.count) }

        var ids: [UUID] = []
        for row in prepared {
            switch row {
            // Every named owner was checked above.
            case .company(let input): ids.append(try await CompanyWorkflow(tx).create(input, checkOwner: false).id)
            case .contact(let input): ids.append(try await ContactWorkflow(tx).create(input, checkOwner: false).id)
            case .lead(let input): ids.append(try await LeadWorkflow(tx).create(input, checkOwner: false).id)
            case .opportunity(let row): ids.append(try await create(row))
            }
        }
        return ids
    }

    /// Runs a record validation and files its issues under the row.
    func validate(_ issues: inout [FieldIssue], prefix: String, _ body: () throws -> Void) {
        do {
            try body()
        } catch let problem as ProblemDetails {
            issues += (problem.errors ?? []).map { RecordCSV.rowIssue($0, prefix: prefix) }
        } catch {
            issues.append(.invalid(String(prefix.dropLast()), message: "The row could not be read."))
        }
    }
}
