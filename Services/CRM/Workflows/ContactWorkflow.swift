import ERPPostgres
import ERPProtocol
import Foundation

/// Contact writes inside one tenant transaction (see `CompanyWorkflow`).
struct ContactWorkflow {
    let tx: CRMTransaction

    init(_ tx: CRMTransaction) { self.tx = tx }

    private var contacts: ContactRepository { ContactRepository(tx.connection) }

    /// `checkOwner` false when the owner was checked already (an import checks every row first)
    /// or is carried over rather than named by the caller (a lead's owner on conversion).
    func create(_ input: ContactInput, checkOwner: Bool = true) async throws -> Contact {
        var contact = Contact(
            id: UUID(), firstName: "", lastName: "", email: nil, phone: nil, title: nil, description: "", ownerID: nil, tags: [], customFields: [:],
            version: 1, createdBy: tx.actor, createdAt: tx.now, updatedAt: tx.now, deletedAt: nil, mergedInto: nil
        )
        var input = input
        if input.ownerId == nil { input.ownerId = tx.actorUser }
        if checkOwner { try await OwnerCheck(tx).check(.contact, .initial(input.ownerId)) }
        try input.validated(into: &contact, definitions: try await CustomFieldRepository(tx.connection).all(entity: .contact))
        if let email = contact.email, let existing = try await contacts.liveID(email: email) {
            throw CRMError.duplicateContact(existing)
        }
        // Linked companies must exist (and be live) in this tenant.
        for (index, link) in (input.companies ?? []).enumerated() {
            guard let company = try await CompanyRepository(tx.connection).find(link.companyId), company.deletedAt == nil else {
                throw ProblemDetails.validation([.invalid("companies.\(index).companyId", message: "No such company.")])
            }
        }
        try await duplicateGuard { try await contacts.insert(contact, tenant: tx.tenant) }
        for link in input.companies ?? [] {
            try await contacts.link(
                contact: contact.id, company: link.companyId, role: link.role?.trimmingCharacters(in: .whitespaces) ?? "",
                isPrimary: link.isPrimary ?? false, at: tx.now, tenant: tx.tenant)
        }
        contact.companies = try await contacts.links(contact: contact.id)
        try await tx.publish(
            EventType.CRM.contactCreated, subject: contact.id, contact.event,
            timeline: [.init(recordType: .contact, recordID: contact.id, summary: "Contact \(contact.displayName) created")])
        return contact
    }

    func update(_ id: UUID, patch: ContactPatch, expectedVersion: Int64) async throws -> Contact {
        let current = try await live(id)
        guard current.version == expectedVersion else { throw CRMError.versionMismatch }
        var contact = current
        try patch.applied(to: ContactInput(current)).validated(
            into: &contact, definitions: try await CustomFieldRepository(tx.connection).all(entity: .contact))
        try await OwnerCheck(tx).check(.contact, .reassignment(from: current.ownerID, to: contact.ownerID))
        if let email = contact.email, email != current.email, let existing = try await contacts.liveID(email: email), existing != id {
            throw CRMError.duplicateContact(existing)
        }
        contact.version = current.version + 1
        contact.updatedAt = tx.now
        try await save(contact, expectedVersion: expectedVersion)
        let changed = patch.changedMembers
        try await tx.publish(
            EventType.CRM.contactUpdated, subject: id, contact.event,
            timeline: [.init(recordType: .contact, recordID: id, summary: "Updated \(changed.isEmpty ? "nothing" : changed.joined(separator: ", "))")])
        return contact
    }

    func delete(_ id: UUID, expectedVersion: Int64?) async throws {
        var contact = try await live(id)
        if let expectedVersion, expectedVersion != contact.version { throw CRMError.versionMismatch }
        let previous = contact.version
        contact.deletedAt = tx.now
        contact.version += 1
        contact.updatedAt = tx.now
        try await save(contact, expectedVersion: previous)
        try await tx.publish(
            EventType.CRM.contactDeleted, subject: id, contact.event,
            timeline: [.init(recordType: .contact, recordID: id, summary: "Contact moved to the trash")])
    }

    func restore(_ id: UUID) async throws -> Contact {
        guard var contact = try await contacts.find(id, forUpdate: true) else { throw ProblemDetails.notFound() }
        guard contact.mergedInto == nil else { throw CRMError.mergedRecord }
        guard contact.deletedAt != nil else { throw CRMError.notDeleted }
        if let email = contact.email, let existing = try await contacts.liveID(email: email) {
            throw CRMError.duplicateContact(existing)
        }
        let previous = contact.version
        contact.deletedAt = nil
        contact.version += 1
        contact.updatedAt = tx.now
        try await save(contact, expectedVersion: previous)
        try await tx.publish(
            EventType.CRM.contactRestored, subject: id, contact.event,
            timeline: [.init(recordType: .contact, recordID: id, summary: "Contact restored from the trash")])
        return contact
    }

    /// Folds `duplicateID` into the contact `id` (see `CompanyWorkflow.merge`).
    func merge(_ id: UUID, duplicateID: UUID, expectedVersion: Int64) async throws -> Contact {
        guard id != duplicateID else { throw CRMError.selfMerge }
        var survivor = try await live(id)
        guard survivor.version == expectedVersion else { throw CRMError.versionMismatch }
        var duplicate = try await live(duplicateID, field: "duplicateId")
        let duplicateVersion = duplicate.version
        duplicate.deletedAt = tx.now
        duplicate.mergedInto = id
        duplicate.version += 1
        duplicate.updatedAt = tx.now
        try await save(duplicate, expectedVersion: duplicateVersion)

        if survivor.firstName.isEmpty { survivor.firstName = duplicate.firstName }
        if survivor.lastName.isEmpty { survivor.lastName = duplicate.lastName }
        survivor.email = survivor.email ?? duplicate.email
        survivor.phone = survivor.phone ?? duplicate.phone
        survivor.title = survivor.title ?? duplicate.title
        if survivor.description.isEmpty { survivor.description = duplicate.description }
        survivor.ownerID = survivor.ownerID ?? duplicate.ownerID
        survivor.tags = Array(Set(survivor.tags).union(duplicate.tags)).sorted()
        survivor.customFields = duplicate.customFields.merging(survivor.customFields) { _, kept in kept }
        survivor.version += 1
        survivor.updatedAt = tx.now
        try await save(survivor, expectedVersion: expectedVersion)

        try await contacts.moveLinks(from: duplicateID, to: id, tenant: tx.tenant)
        try await RecordReferences(tx.connection).move(.contact, from: duplicateID, to: id)
        try await TimelineRepository(tx.connection).move(.contact, from: duplicateID, to: id)
        survivor.companies = try await contacts.links(contact: id)
        try await tx.publish(
            EventType.CRM.contactMerged, subject: id, RecordMerged(recordType: "contact", survivorId: id, mergedId: duplicateID, version: survivor.version),
            timeline: [
                .init(recordType: .contact, recordID: id, summary: "Merged \(duplicate.displayName) into this contact"),
                .init(recordType: .contact, recordID: duplicateID, summary: "Merged into \(survivor.displayName)"),
            ])
        return survivor
    }

    /// Links the contact to a company with a role (or changes the link). Changes the contact's version.
    func link(_ id: UUID, company companyID: UUID, role: String, isPrimary: Bool) async throws -> Contact {
        var contact = try await live(id)
        let company = try await CompanyWorkflow(tx).live(companyID)
        try await contacts.link(contact: id, company: companyID, role: role, isPrimary: isPrimary, at: tx.now, tenant: tx.tenant)
        return try await bump(&contact, summary: "Linked to \(company.name)\(role.isEmpty ? "" : " as \(role)")", company: company)
    }

    func unlink(_ id: UUID, company companyID: UUID) async throws -> Contact {
        var contact = try await live(id)
        guard try await contacts.unlink(contact: id, company: companyID) else { throw ProblemDetails.notFound() }
        let company = try await CompanyRepository(tx.connection).find(companyID)
        return try await bump(&contact, summary: "Unlinked from \(company?.name ?? "a company")", company: company)
    }

    private func bump(_ contact: inout Contact, summary: String, company: Company?) async throws -> Contact {
        let previous = contact.version
        contact.version += 1
        contact.updatedAt = tx.now
        try await save(contact, expectedVersion: previous)
        contact.companies = try await contacts.links(contact: contact.id)
        var notes: [CRMTransaction.TimelineNote] = [.init(recordType: .contact, recordID: contact.id, summary: summary)]
        if let company { notes.append(.init(recordType: .company, recordID: company.id, summary: "\(summary.hasPrefix("Linked") ? "Linked" : "Unlinked") contact \(contact.displayName)")) }
        try await tx.publish(EventType.CRM.contactUpdated, subject: contact.id, contact.event, timeline: notes)
        return contact
    }

    /// The live contact with its links, locked for the rest of the transaction.
    func live(_ id: UUID, field: String? = nil) async throws -> Contact {
        guard let contact = try await contacts.find(id, forUpdate: true), contact.deletedAt == nil else {
            if let field { throw ProblemDetails.validation([.invalid(field, message: "No such contact.")]) }
            throw ProblemDetails.notFound()
        }
        return contact
    }

    private func save(_ contact: Contact, expectedVersion: Int64) async throws {
        try await duplicateGuard {
            guard try await contacts.update(contact, expectedVersion: expectedVersion) else { throw CRMError.versionMismatch }
        }
    }

    private func duplicateGuard(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as PostgresError where error.code == .uniqueViolation && error.constraint == "contacts_live_email" {
            throw CRMError.duplicateContact(nil)
        }
    }
}
