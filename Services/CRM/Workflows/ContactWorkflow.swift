import ERPPostgres
import ERPProtocol
import Foundation

/// Contact writes inside one tenant transaction (see `CompanyWorkflow`).
struct ContactWorkflow: RecordWorkflow {
    let tx: CRMTransaction

    init(_ tx: CRMTransaction) { self.tx = tx }

    static var recordType: RecordType { .contact }
    static var updatedEvent: EventType { EventType.CRM.contactUpdated }
    static var deletedEvent: EventType { EventType.CRM.contactDeleted }

    private var contacts: ContactRepository { ContactRepository(tx.connection) }

    /// The contact with its links, locked for the rest of the transaction.
    func find(_ id: UUID) async throws -> Contact? { try await contacts.find(id, forUpdate: true) }

    func store(_ contact: Contact, expectedVersion: Int64) async throws -> Bool {
        try await duplicateGuard { try await contacts.update(contact, expectedVersion: expectedVersion) }
    }

    func payload(_ contact: Contact) async throws -> ContactEvent { contact.event }

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
        let current = try await live(id, expectedVersion: expectedVersion)
        var contact = current
        try patch.applied(to: ContactInput(current)).validated(
            into: &contact, definitions: try await CustomFieldRepository(tx.connection).all(entity: .contact))
        try await OwnerCheck(tx).check(.contact, .reassignment(from: current.ownerID, to: contact.ownerID))
        if let email = contact.email, email != current.email, let existing = try await contacts.liveID(email: email), existing != id {
            throw CRMError.duplicateContact(existing)
        }
        try await saveNext(&contact)
        try await publishEdit(contact, changed: patch.changedMembers)
        return contact
    }

    /// Brings a deleted contact back, unless another live contact took its email meanwhile.
    func restore(_ id: UUID) async throws -> Contact {
        try await restore(id, event: EventType.CRM.contactRestored) { contact in
            if let email = contact.email, let existing = try await contacts.liveID(email: email) {
                throw CRMError.duplicateContact(existing)
            }
        }
    }

    /// Folds `duplicateID` into the contact `id` (see `CompanyWorkflow.merge`).
    func merge(_ id: UUID, duplicateID: UUID, expectedVersion: Int64) async throws -> Contact {
        var survivor = try await merge(
            id, duplicateID: duplicateID, expectedVersion: expectedVersion, event: EventType.CRM.contactMerged, name: \.displayName,
            fill: { survivor, duplicate in
                if survivor.firstName.isEmpty { survivor.firstName = duplicate.firstName }
                if survivor.lastName.isEmpty { survivor.lastName = duplicate.lastName }
                survivor.email = survivor.email ?? duplicate.email
                survivor.phone = survivor.phone ?? duplicate.phone
                survivor.title = survivor.title ?? duplicate.title
            },
            moveLinks: { try await contacts.moveLinks(from: duplicateID, to: id, tenant: tx.tenant) })
        survivor.companies = try await contacts.links(contact: id)
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
        try await saveNext(&contact)
        contact.companies = try await contacts.links(contact: contact.id)
        var notes: [CRMTransaction.TimelineNote] = [.init(recordType: .contact, recordID: contact.id, summary: summary)]
        if let company { notes.append(.init(recordType: .company, recordID: company.id, summary: "\(summary.hasPrefix("Linked") ? "Linked" : "Unlinked") contact \(contact.displayName)")) }
        try await tx.publish(EventType.CRM.contactUpdated, subject: contact.id, contact.event, timeline: notes)
        return contact
    }

    /// Turns a unique-index race on the email into the duplicate problem.
    private func duplicateGuard<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError where error.code == .uniqueViolation && error.constraint == "contacts_live_email" {
            throw CRMError.duplicateContact(nil)
        }
    }
}
