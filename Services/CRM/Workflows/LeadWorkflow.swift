import ERPPostgres
import ERPProtocol
import Foundation

/// Lead writes inside one tenant transaction: validation, scoring when the inputs change, the
/// status state machine, owner assignment (manual or round-robin), events and timeline.
struct LeadWorkflow: RecordWorkflow {
    let tx: CRMTransaction

    init(_ tx: CRMTransaction) { self.tx = tx }

    static var recordType: RecordType { .lead }
    static var updatedEvent: EventType { EventType.CRM.leadUpdated }
    static var deletedEvent: EventType { EventType.CRM.leadDeleted }

    private var leads: LeadRepository { LeadRepository(tx.connection) }

    func find(_ id: UUID) async throws -> Lead? { try await leads.find(id, forUpdate: true) }

    func store(_ lead: Lead, expectedVersion: Int64) async throws -> Bool { try await leads.update(lead, expectedVersion: expectedVersion) }

    func payload(_ lead: Lead) async throws -> LeadEvent { lead.event }

    /// How a lead got its owner.
    enum AssignmentMethod: String, Sendable {
        case manual
        case roundRobin = "round_robin"
    }

    /// `checkOwner` false when the owner was checked already (an import checks every row first)
    /// or is carried over rather than named by the caller (a lead's owner on conversion).
    func create(_ input: LeadInput, checkOwner: Bool = true) async throws -> Lead {
        var lead = Lead(
            id: UUID(), firstName: "", lastName: "", email: nil, phone: nil, title: nil, companyName: nil, website: nil, source: .other,
            status: .new, statusReason: nil, ownerID: nil,
            scoring: LeadScoringInput(budget: nil, purchaseTimeline: .unknown, technicalComplexity: .unknown, decisionRole: .unknown, industry: nil),
            score: nil, scorePriority: nil, scoredAt: nil, convertedAt: nil, convertedBy: nil, convertedContactID: nil, convertedCompanyID: nil,
            convertedOpportunityID: nil, description: "", tags: [], customFields: [:], version: 1, createdBy: tx.actor, createdAt: tx.now,
            updatedAt: tx.now, deletedAt: nil
        )
        try input.validated(into: &lead, definitions: try await CustomFieldRepository(tx.connection).all(entity: .lead))
        var method: AssignmentMethod?
        if checkOwner { try await OwnerCheck(tx).check(.lead, .initial(input.ownerId)) }
        if let owner = input.ownerId {
            lead.ownerID = owner
            method = .manual
        } else if let next = try await LeadAssignmentRepository(tx.connection).next(tenant: tx.tenant) {
            lead.ownerID = next
            method = .roundRobin
        } else {
            lead.ownerID = tx.actorUser
        }
        let score = tx.scorer.score(lead.scoring)
        apply(score, to: &lead)
        try await leads.insert(lead, tenant: tx.tenant)
        try await tx.publish(
            EventType.CRM.leadCreated, subject: lead.id, lead.event,
            timeline: [.init(recordType: .lead, recordID: lead.id, summary: "Lead \(lead.displayName) created from \(lead.source.rawValue)")])
        try await recordScore(score, lead: lead, previous: nil)
        if let method, let owner = lead.ownerID {
            try await publishAssignment(lead, owner: owner, previous: nil, method: method)
        }
        return lead
    }

    /// Applies `patch`; re-scores the lead when a scoring input changed.
    func update(_ id: UUID, patch: LeadPatch, expectedVersion: Int64) async throws -> Lead {
        let current = try await live(id, expectedVersion: expectedVersion)
        guard current.status != .converted else { throw CRMError.leadConverted }
        var lead = current
        try patch.applied(to: LeadInput(current)).validated(into: &lead, definitions: try await CustomFieldRepository(tx.connection).all(entity: .lead))
        let rescore = lead.scoring != current.scoring
        let score = rescore ? tx.scorer.score(lead.scoring) : nil
        if let score { apply(score, to: &lead) }
        try await saveNext(&lead)
        try await publishEdit(lead, changed: patch.changedMembers)
        if let score { try await recordScore(score, lead: lead, previous: current.score) }
        return lead
    }

    /// Moves the lead along its state machine; `unqualified` needs a reason.
    func changeStatus(_ id: UUID, to status: LeadStatus, reason: String?, expectedVersion: Int64?) async throws -> Lead {
        var lead = try await live(id, expectedVersion: expectedVersion)
        guard lead.status.manualSuccessors.contains(status) else {
            throw CRMError.invalidTransition(from: lead.status.rawValue, to: status.rawValue)
        }
        var validator = FieldValidator()
        let reason = validator.text(reason, field: "reason", maximum: 500)
        if status == .unqualified, reason == nil { validator.add(.required("reason", message: "Say why the lead is unqualified.")) }
        try validator.check()
        let previous = lead
        lead.status = status
        lead.statusReason = reason
        try await saveNext(&lead)
        try await publishStatusChange(lead, from: previous.status, reason: reason)
        return lead
    }

    func publishStatusChange(_ lead: Lead, from: LeadStatus, reason: String?) async throws {
        try await tx.publish(
            EventType.CRM.leadStatusChanged, subject: lead.id,
            LeadStatusChanged(leadId: lead.id, from: from.rawValue, to: lead.status.rawValue, reason: reason, changedBy: tx.actor),
            timeline: [.init(recordType: .lead, recordID: lead.id, summary: "Status \(from.rawValue) → \(lead.status.rawValue)\(reason.map { ": \($0)" } ?? "")")])
    }

    /// Gives the lead to `owner`, or to the next member of the round-robin rotation.
    func assign(_ id: UUID, owner: UserID?, expectedVersion: Int64?) async throws -> Lead {
        var lead = try await live(id, expectedVersion: expectedVersion)
        let method: AssignmentMethod
        let chosen: UserID
        if let owner {
            try await OwnerCheck(tx).check(.lead, .reassignment(from: lead.ownerID, to: owner))
            chosen = owner
            method = .manual
        } else {
            guard let next = try await LeadAssignmentRepository(tx.connection).next(tenant: tx.tenant) else { throw CRMError.noRoundRobinMembers }
            // The rotation holds only checked users and skips deactivated ones; whether the
            // caller may give the lead away is still theirs to pass (a refusal rolls the turn back).
            try OwnerCheck(tx).authorize(.lead, .reassignment(from: lead.ownerID, to: next))
            chosen = next
            method = .roundRobin
        }
        let previous = lead.ownerID
        lead.ownerID = chosen
        try await saveNext(&lead)
        try await publishAssignment(lead, owner: chosen, previous: previous, method: method)
        return lead
    }

    /// Scores the lead again from its stored inputs (e.g. after the scorer changed).
    func rescore(_ id: UUID) async throws -> Lead {
        var lead = try await live(id)
        let previousScore = lead.score
        let score = tx.scorer.score(lead.scoring)
        apply(score, to: &lead)
        try await saveNext(&lead)
        try await recordScore(score, lead: lead, previous: previousScore)
        return lead
    }

    private func apply(_ score: LeadScore, to lead: inout Lead) {
        lead.score = score.total
        lead.scorePriority = score.priority
        lead.scoredAt = tx.now
    }

    /// Stores the score in the history and publishes `lead.scored`.
    private func recordScore(_ score: LeadScore, lead: Lead, previous: Int?) async throws {
        try await LeadScoreRepository(tx.connection).insert(
            .init(id: UUID(), leadID: lead.id, score: score, inputs: lead.scoring, computedBy: tx.actor, computedAt: tx.now), tenant: tx.tenant)
        try await tx.publish(
            EventType.CRM.leadScored, subject: lead.id,
            LeadScored(
                leadId: lead.id, score: score.total, previousScore: previous, priority: score.priority.rawValue,
                criteria: score.criteria.map { .init(name: $0.name, points: $0.points, reason: $0.reason) },
                recommendedAction: score.recommendedAction, scorer: score.scorer),
            timeline: [.init(recordType: .lead, recordID: lead.id, summary: "Scored \(score.total) (\(score.priority.rawValue))")])
    }

    private func publishAssignment(_ lead: Lead, owner: UserID, previous: UserID?, method: AssignmentMethod) async throws {
        try await tx.publish(
            EventType.CRM.leadAssigned, subject: lead.id,
            LeadAssigned(leadId: lead.id, ownerId: owner, previousOwnerId: previous, method: method.rawValue, assignedBy: tx.actor),
            timeline: [.init(recordType: .lead, recordID: lead.id, summary: "Assigned to \(owner) (\(method.rawValue.replacingOccurrences(of: "_", with: "-")))")])
    }
}
