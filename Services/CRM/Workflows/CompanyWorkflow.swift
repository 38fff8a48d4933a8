import ERPPostgres
import ERPProtocol
import Foundation

/// Company writes inside one tenant transaction: validation, duplicate checks, the change, its
/// events and timeline entries.
struct CompanyWorkflow: RecordWorkflow {
    let tx: CRMTransaction

    init(_ tx: CRMTransaction) { self.tx = tx }

    static var recordType: RecordType { .company }
    static var updatedEvent: EventType { EventType.CRM.companyUpdated }
    static var deletedEvent: EventType { EventType.CRM.companyDeleted }

    private var companies: CompanyRepository { CompanyRepository(tx.connection) }

    func find(_ id: UUID) async throws -> Company? { try await companies.find(id, forUpdate: true) }

    func store(_ company: Company, expectedVersion: Int64) async throws -> Bool {
        try await duplicateGuard { try await companies.update(company, expectedVersion: expectedVersion) }
    }

    func payload(_ company: Company) async throws -> CompanyEvent { company.event }

    /// `checkOwner` false when the owner was checked already (an import checks every row first)
    /// or is carried over rather than named by the caller (a lead's owner on conversion).
    func create(_ input: CompanyInput, checkOwner: Bool = true) async throws -> Company {
        var company = Company(
            id: UUID(), name: "", domain: nil, website: nil, industry: nil, employeeCount: nil, annualRevenue: nil, phone: nil, address: .empty,
            description: "", ownerID: nil, tags: [], customFields: [:], version: 1, createdBy: tx.actor, createdAt: tx.now, updatedAt: tx.now,
            deletedAt: nil, mergedInto: nil
        )
        var input = input
        if input.ownerId == nil { input.ownerId = tx.actorUser }
        if checkOwner { try await OwnerCheck(tx).check(.company, .initial(input.ownerId)) }
        try input.validated(into: &company, definitions: try await CustomFieldRepository(tx.connection).all(entity: .company))
        if let domain = company.domain, let existing = try await companies.liveID(domain: domain) {
            throw CRMError.duplicateCompany(existing)
        }
        try await duplicateGuard { try await companies.insert(company, tenant: tx.tenant) }
        try await tx.publish(
            EventType.CRM.companyCreated, subject: company.id, company.event,
            timeline: [.init(recordType: .company, recordID: company.id, summary: "Company \(company.name) created")])
        return company
    }

    /// Applies `patch` to the live company at `expectedVersion`.
    func update(_ id: UUID, patch: CompanyPatch, expectedVersion: Int64) async throws -> Company {
        let current = try await live(id, expectedVersion: expectedVersion)
        var company = current
        try patch.applied(to: CompanyInput(current)).validated(
            into: &company, definitions: try await CustomFieldRepository(tx.connection).all(entity: .company))
        try await OwnerCheck(tx).check(.company, .reassignment(from: current.ownerID, to: company.ownerID))
        if let domain = company.domain, domain != current.domain, let existing = try await companies.liveID(domain: domain), existing != id {
            throw CRMError.duplicateCompany(existing)
        }
        try await saveNext(&company)
        try await publishEdit(company, changed: patch.changedMembers)
        return company
    }

    /// Brings a deleted company back, unless another live company took its domain meanwhile.
    func restore(_ id: UUID) async throws -> Company {
        try await restore(id, event: EventType.CRM.companyRestored) { company in
            if let domain = company.domain, let existing = try await companies.liveID(domain: domain) {
                throw CRMError.duplicateCompany(existing)
            }
        }
    }

    /// Folds `duplicateID` into the company `id`: empty fields of the survivor are filled from
    /// the duplicate, tags and custom fields are united (the survivor's values win), contacts,
    /// opportunities, activities and timeline move over, and the duplicate goes to the trash
    /// pointing at the survivor.
    func merge(_ id: UUID, duplicateID: UUID, expectedVersion: Int64) async throws -> Company {
        try await merge(
            id, duplicateID: duplicateID, expectedVersion: expectedVersion, event: EventType.CRM.companyMerged, name: \.name,
            fill: { survivor, duplicate in
                survivor.domain = survivor.domain ?? duplicate.domain
                survivor.website = survivor.website ?? duplicate.website
                survivor.industry = survivor.industry ?? duplicate.industry
                survivor.employeeCount = survivor.employeeCount ?? duplicate.employeeCount
                survivor.annualRevenue = survivor.annualRevenue ?? duplicate.annualRevenue
                survivor.phone = survivor.phone ?? duplicate.phone
                if survivor.address == .empty { survivor.address = duplicate.address }
            },
            moveLinks: { try await ContactRepository(tx.connection).moveCompanyLinks(from: duplicateID, to: id, tenant: tx.tenant) })
    }

    /// Turns a unique-index race on the domain into the duplicate problem.
    private func duplicateGuard<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError where error.code == .uniqueViolation && error.constraint == "companies_live_domain" {
            throw CRMError.duplicateCompany(nil)
        }
    }
}
