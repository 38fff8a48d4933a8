import ERPProtocol
import Foundation

/// The CSV columns of each record type, and conversions between rows and records.
///
/// Import columns are the record's writable fields (`tags` separated by `;`, money as a decimal
/// amount plus a currency column, custom fields as `custom.<key>`); export adds read-only columns
/// (`id`, `version`, timestamps, status, score …). Importing a file with export-only columns
/// ignores them, so an export can be edited and imported into another tenant.
enum RecordCSV {
    static let importColumns: [RecordType: [String]] = [
        .company: ["name", "domain", "website", "industry", "employeeCount", "annualRevenue", "annualRevenueCurrency", "phone", "street", "city",
                   "region", "postalCode", "country", "description", "ownerId", "tags"],
        .contact: ["firstName", "lastName", "email", "phone", "title", "description", "ownerId", "tags", "companyDomain", "companyRole"],
        .lead: ["firstName", "lastName", "email", "phone", "title", "companyName", "website", "source", "budget", "budgetCurrency",
                "purchaseTimeline", "technicalComplexity", "decisionRole", "industry", "description", "ownerId", "tags"],
        .opportunity: ["name", "amount", "currency", "pipeline", "stage", "expectedCloseDate", "companyDomain", "contactEmail", "ownerId",
                       "description", "tags", "status", "closeReason"],
    ]

    static let exportOnlyColumns: [RecordType: [String]] = [
        .company: ["id", "version", "createdAt", "updatedAt"],
        .contact: ["id", "companyId", "version", "createdAt", "updatedAt"],
        .lead: ["id", "status", "score", "priority", "version", "createdAt", "updatedAt"],
        .opportunity: ["id", "pipelineId", "stageId", "closedAt", "companyId", "contactId", "leadId", "version", "createdAt", "updatedAt"],
    ]

    /// The header of an export: read-only `id` first, then the import columns, custom fields, the rest.
    static func exportHeader(_ type: RecordType, definitions: [CustomFieldDefinition]) -> [String] {
        let extra = exportOnlyColumns[type] ?? []
        let imported = importColumns[type] ?? []
        return [extra[0]] + imported + extra.dropFirst() + definitions.map { "custom.\($0.key)" }
    }

    // MARK: Export

    static func row(_ values: [String: String], header: [String]) -> String {
        CSV.line(header.map { values[$0] ?? "" })
    }

    static func values(_ company: Company) -> [String: String] {
        var values: [String: String] = [
            "id": company.id.lowercased, "name": company.name, "domain": company.domain ?? "", "website": company.website ?? "",
            "industry": company.industry ?? "", "employeeCount": company.employeeCount.map(String.init) ?? "",
            "annualRevenue": company.annualRevenue?.decimalString ?? "", "annualRevenueCurrency": company.annualRevenue?.currency.rawValue ?? "",
            "phone": company.phone ?? "", "street": company.address.street ?? "", "city": company.address.city ?? "",
            "region": company.address.region ?? "", "postalCode": company.address.postalCode ?? "", "country": company.address.country ?? "",
            "description": company.description, "ownerId": company.ownerID?.description ?? "", "tags": company.tags.joined(separator: ";"),
            "version": String(company.version), "createdAt": ERPJSON.string(from: company.createdAt), "updatedAt": ERPJSON.string(from: company.updatedAt),
        ]
        addCustom(company.customFields, to: &values)
        return values
    }

    static func values(_ contact: Contact) -> [String: String] {
        var values: [String: String] = [
            "id": contact.id.lowercased, "firstName": contact.firstName, "lastName": contact.lastName, "email": contact.email ?? "",
            "phone": contact.phone ?? "", "title": contact.title ?? "", "description": contact.description, "ownerId": contact.ownerID?.description ?? "",
            "tags": contact.tags.joined(separator: ";"), "version": String(contact.version), "createdAt": ERPJSON.string(from: contact.createdAt),
            "updatedAt": ERPJSON.string(from: contact.updatedAt),
        ]
        addCustom(contact.customFields, to: &values)
        return values
    }

    static func values(_ lead: Lead) -> [String: String] {
        var values: [String: String] = [
            "id": lead.id.lowercased, "firstName": lead.firstName, "lastName": lead.lastName, "email": lead.email ?? "", "phone": lead.phone ?? "",
            "title": lead.title ?? "", "companyName": lead.companyName ?? "", "website": lead.website ?? "", "source": lead.source.rawValue,
            "budget": lead.scoring.budget?.decimalString ?? "", "budgetCurrency": lead.scoring.budget?.currency.rawValue ?? "",
            "purchaseTimeline": lead.scoring.purchaseTimeline.rawValue, "technicalComplexity": lead.scoring.technicalComplexity.rawValue,
            "decisionRole": lead.scoring.decisionRole.rawValue, "industry": lead.scoring.industry ?? "", "description": lead.description,
            "ownerId": lead.ownerID?.description ?? "", "tags": lead.tags.joined(separator: ";"), "status": lead.status.rawValue,
            "score": lead.score.map(String.init) ?? "", "priority": lead.scorePriority?.rawValue ?? "", "version": String(lead.version),
            "createdAt": ERPJSON.string(from: lead.createdAt), "updatedAt": ERPJSON.string(from: lead.updatedAt),
        ]
        addCustom(lead.customFields, to: &values)
        return values
    }

    static func values(_ opportunity: Opportunity) -> [String: String] {
        var values: [String: String] = [
            "id": opportunity.id.lowercased, "name": opportunity.name, "pipelineId": opportunity.pipelineID.lowercased,
            "stageId": opportunity.stageID.lowercased, "status": opportunity.status.rawValue, "amount": opportunity.amount.decimalString,
            "currency": opportunity.amount.currency.rawValue, "expectedCloseDate": opportunity.expectedCloseDate?.description ?? "",
            "closeReason": opportunity.closeReason ?? "", "closedAt": opportunity.closedAt.map(ERPJSON.string(from:)) ?? "",
            "companyId": opportunity.companyID?.lowercased ?? "", "contactId": opportunity.contactID?.lowercased ?? "",
            "leadId": opportunity.leadID?.lowercased ?? "", "ownerId": opportunity.ownerID?.description ?? "",
            "tags": opportunity.tags.joined(separator: ";"), "description": opportunity.description, "version": String(opportunity.version),
            "createdAt": ERPJSON.string(from: opportunity.createdAt), "updatedAt": ERPJSON.string(from: opportunity.updatedAt),
        ]
        addCustom(opportunity.customFields, to: &values)
        return values
    }

    private static func addCustom(_ fields: [String: JSONValue], to values: inout [String: String]) {
        for (key, value) in fields {
            switch value {
            case .string(let text): values["custom.\(key)"] = text
            case .integer(let number): values["custom.\(key)"] = String(number)
            case .double(let number): values["custom.\(key)"] = String(number)
            case .bool(let flag): values["custom.\(key)"] = flag ? "true" : "false"
            case .array(let items):
                values["custom.\(key)"] = items.compactMap { if case .string(let text) = $0 { text } else { nil } }.joined(separator: ";")
            case .null, .object: break
            }
        }
    }

    // MARK: Import

    /// The custom field values of a row, typed by their definitions (empty cells are left out).
    static func customFields(_ row: [String: String], definitions: [CustomFieldDefinition], issues: inout [FieldIssue], prefix: String) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for definition in definitions {
            guard let text = row["custom.\(definition.key)"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { continue }
            let field = "\(prefix)custom.\(definition.key)"
            switch definition.type {
            case .integer:
                if let number = Int64(text) { result[definition.key] = .integer(number) } else { issues.append(.invalid(field, message: "An integer.")) }
            case .number:
                if let number = Double(text), number.isFinite { result[definition.key] = .double(number) }
                else { issues.append(.invalid(field, message: "A number.")) }
            case .boolean:
                switch text.lowercased() {
                case "true", "yes", "1": result[definition.key] = .bool(true)
                case "false", "no", "0": result[definition.key] = .bool(false)
                default: issues.append(.invalid(field, message: "true or false."))
                }
            case .multiSelect:
                result[definition.key] = .array(text.split(separator: ";").map { .string($0.trimmingCharacters(in: .whitespaces)) })
            case .text, .date, .select, .url, .email:
                result[definition.key] = .string(text)
            }
        }
        return result
    }

    /// A decimal amount column plus its currency column as Money.
    static func money(_ row: [String: String], amount: String, currency: String, issues: inout [FieldIssue], prefix: String) -> Money? {
        let amountText = row[amount]?.trimmingCharacters(in: .whitespaces) ?? ""
        let currencyText = row[currency]?.trimmingCharacters(in: .whitespaces).uppercased() ?? ""
        guard !amountText.isEmpty else { return nil }
        guard let code = CurrencyCode(currencyText) else {
            issues.append(.invalid("\(prefix)\(currency)", message: "An ISO 4217 currency code for \(amount)."))
            return nil
        }
        guard let money = try? Money(parsing: amountText, currency: code) else {
            issues.append(.invalid("\(prefix)\(amount)", message: "A decimal amount with at most \(code.minorUnitDigits) decimals."))
            return nil
        }
        return money
    }

    /// A column parsed by `parse`, or an issue.
    static func parsed<T>(_ row: [String: String], _ column: String, issues: inout [FieldIssue], prefix: String, expected: String, _ parse: (String) -> T?) -> T? {
        guard let text = row[column]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let value = parse(text) else {
            issues.append(.invalid("\(prefix)\(column)", message: expected))
            return nil
        }
        return value
    }

    /// The `ownerId` column of any record type: every import path reads the owner here, so a rule
    /// about who may be named owner applies to all of them at once.
    static func ownerID(_ row: [String: String], issues: inout [FieldIssue], prefix: String) -> UserID? {
        parsed(row, "ownerId", issues: &issues, prefix: prefix, expected: "A user id.") { UserID(string: $0) }
    }

    static func text(_ row: [String: String], _ column: String) -> String? {
        guard let text = row[column]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text
    }

    static func tags(_ row: [String: String]) -> [String]? {
        text(row, "tags").map { $0.split(separator: ";").map { String($0) } }
    }

    /// A validation issue of a record field renamed to its CSV column under the row's prefix.
    static func rowIssue(_ issue: FieldIssue, prefix: String) -> FieldIssue {
        var field = issue.field
        if field.hasPrefix("address.") { field.removeFirst("address.".count) }
        if field.hasPrefix("customFields.") { field = "custom." + field.dropFirst("customFields.".count) }
        for money in ["annualRevenue", "budget", "amount"] where field.hasPrefix("\(money).") { field = money }
        return FieldIssue(field: prefix + field, code: issue.code, message: issue.message)
    }
}
