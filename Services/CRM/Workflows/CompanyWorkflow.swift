import ERPPostgres
import ERPProtocol
import Foundation

/// Company writes inside one tenant transaction: validation, duplicate checks, the change, its
/// events and timeline entries.
struct CompanyWorkflow {
    let tx: CRMTransaction

    init(_ tx: CRMTransaction) { self.tx = tx }

    private var companies: CompanyRepository { CompanyRepository(tx.connection) }

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
        let current = try await live(id)
        guard current.version == expectedVersion else { throw CRMError.versionMismatch }
        var company = current
        try patch.applied(to: CompanyInput(current)).validated(
            into: &company, definitions: try await CustomFieldRepository(tx.connection).all(entity: .company))
        try await OwnerCheck(tx).check(.company, .reassignment(from: current.ownerID, to: company.ownerID))
        if let domain = company.domain, domain != current.domain, let existing = try await companies.liveID(domain: domain), existing != id {
            throw CRMError.duplicateCompany(existing)
        }
        company.version = current.version + 1
        company.updatedAt = tx.now
        try await save(company, expectedVersion: expectedVersion)
        let changed = patch.changedMembers
        try await tx.publish(
            EventType.CRM.companyUpdated, subject: id, company.event,
            timeline: [.init(recordType: .company, recordID: id, summary: "Updated \(changed.isEmpty ? "nothing" : changed.joined(separator: ", "))")])
        return company
    }

    /// Moves the company to the trash (restorable).
    func delete(_ id: UUID, expectedVersion: Int64?) async throws {
        var company = try await live(id)
        if let expectedVersion, expectedVersion != company.version { throw CRMError.versionMismatch }
        let previous = company.version
        company.deletedAt = tx.now
        company.version += 1
        company.updatedAt = tx.now
        try await save(company, expectedVersion: previous)
        try await tx.publish(
            EventType.CRM.companyDeleted, subject: id, company.event,
            timeline: [.init(recordType: .company, recordID: id, summary: "Company moved to the trash")])
    }

    /// Brings a deleted company back, unless another live company took its domain meanwhile.
    func restore(_ id: UUID) async throws -> Company {
        guard var company = try await companies.find(id, forUpdate: true) else { throw ProblemDetails.notFound() }
        guard company.mergedInto == nil else { throw CRMError.mergedRecord }
        guard company.deletedAt != nil else { throw CRMError.notDeleted }
        if let domain = company.domain, let existing = try await companies.liveID(domain: domain) {
            throw CRMError.duplicateCompany(existing)
        }
        let previous = company.version
        company.deletedAt = nil
        company.version += 1
        company.updatedAt = tx.now
        try await save(company, expectedVersion: previous)
        try await tx.publish(
            EventType.CRM.companyRestored, subject: id, company.event,
            timeline: [.init(recordType: .company, recordID: id, summary: "Company restored from the trash")])
        return company
    }

    /// Folds `duplicateID` into the company `id`: empty fields of the survivor are filled from
    /// the duplicate, tags and custom fields are united (the survivor's values win), contacts,
    /// opportunities, activities and timeline move over, and the duplicate goes to the trash
    /// pointing at the survivor.
    func merge(_ id: UUID, duplicateID: UUID, expectedVersion: Int64) async throws -> Company {
        guard id != duplicateID else { throw CRMError.selfMerge }
        var survivor = try await live(id)
        guard survivor.version == expectedVersion else { throw CRMError.versionMismatch }
        var duplicate = try await live(duplicateID, field: "duplicateId")
        // The duplicate leaves the live set first, so its domain is free for the survivor.
        let duplicateVersion = duplicate.version
        duplicate.deletedAt = tx.now
        duplicate.mergedInto = id
        duplicate.version += 1
        duplicate.updatedAt = tx.now
        try await save(duplicate, expectedVersion: duplicateVersion)

        survivor.domain = survivor.domain ?? duplicate.domain
        survivor.website = survivor.website ?? duplicate.website
        survivor.industry = survivor.industry ?? duplicate.industry
        survivor.employeeCount = survivor.employeeCount ?? duplicate.employeeCount
        survivor.annualRevenue = survivor.annualRevenue ?? duplicate.annualRevenue
        survivor.phone = survivor.phone ?? duplicate.phone
        if survivor.address == .empty { survivor.address = duplicate.address }
        if survivor.description.isEmpty { survivor.description = duplicate.description }
        survivor.ownerID = survivor.ownerID ?? duplicate.ownerID
        survivor.tags = Array(Set(survivor.tags).union(duplicate.tags)).sorted()
        survivor.customFields = duplicate.customFields.merging(survivor.customFields) { _, kept in kept }
        survivor.version += 1
        survivor.updatedAt = tx.now
        try await save(survivor, expectedVersion: expectedVersion)

        try await ContactRepository(tx.connection).moveCompanyLinks(from: duplicateID, to: id, tenant: tx.tenant)
        try await RecordReferences(tx.connection).move(.company, from: duplicateID, to: id)
        try await TimelineRepository(tx.connection).move(.company, from: duplicateID, to: id)
        try await tx.publish(
            EventType.CRM.companyMerged, subject: id, RecordMerged(recordType: "company", survivorId: id, mergedId: duplicateID, version: survivor.version),
            timeline: [
                .init(recordType: .company, recordID: id, summary: "Merged \(duplicate.name) into this company"),
                .init(recordType: .company, recordID: duplicateID, summary: "Merged into \(survivor.name)"),
            ])
        return survivor
    }

    /// The live company, locked for the rest of the transaction; 404 when missing or deleted.
    func live(_ id: UUID, field: String? = nil) async throws -> Company {
        guard let company = try await companies.find(id, forUpdate: true), company.deletedAt == nil else {
            if let field { throw ProblemDetails.validation([.invalid(field, message: "No such company.")]) }
            throw ProblemDetails.notFound()
        }
        return company
    }

    private func save(_ company: Company, expectedVersion: Int64) async throws {
        try await duplicateGuard {
            guard try await companies.update(company, expectedVersion: expectedVersion) else { throw CRMError.versionMismatch }
        }
    }

    /// Turns a unique-index race on the domain into the duplicate problem.
    private func duplicateGuard(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as PostgresError where error.code == .uniqueViolation && error.constraint == "companies_live_domain" {
            throw CRMError.duplicateCompany(nil)
        }
    }
}
