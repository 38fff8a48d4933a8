import ERPPostgres
import ERPProtocol
import Foundation

/// Opportunity writes: create in a pipeline stage, edit, move between open stages, win or lose
/// with a reason, reopen, delete. Every stage change is kept in the stage history (who, when).
struct OpportunityWorkflow: RecordWorkflow {
    let tx: CRMTransaction

    init(_ tx: CRMTransaction) { self.tx = tx }

    static var recordType: RecordType { .opportunity }
    static var updatedEvent: EventType { EventType.CRM.opportunityUpdated }
    static var deletedEvent: EventType { EventType.CRM.opportunityDeleted }

    private var opportunities: OpportunityRepository { OpportunityRepository(tx.connection) }

    func find(_ id: UUID) async throws -> Opportunity? { try await opportunities.find(id, forUpdate: true) }

    func store(_ opportunity: Opportunity, expectedVersion: Int64) async throws -> Bool {
        try await opportunities.update(opportunity, expectedVersion: expectedVersion)
    }

    /// The opportunity with its stage's probability.
    func payload(_ opportunity: Opportunity) async throws -> OpportunityEvent { opportunity.event(probability: try await probability(opportunity)) }

    /// `checkOwner` false when the owner was checked already (an import checks every row first)
    /// or is carried over rather than named by the caller (a lead's owner on conversion).
    func create(_ input: OpportunityInput, leadID: UUID? = nil, checkOwner: Bool = true) async throws -> Opportunity {
        let pipeline = try await PipelineWorkflow(tx).resolve(input.pipelineId)
        let stage: PipelineStage
        if let stageID = input.stageId {
            guard let chosen = pipeline.stage(stageID), chosen.kind == .open else {
                throw ProblemDetails.validation([.invalid("stageId", message: "An open stage of the pipeline.")])
            }
            stage = chosen
        } else {
            guard let first = pipeline.firstOpenStage else { throw ProblemDetails.validation([.required("stageId")]) }
            stage = first
        }
        var opportunity = Opportunity.draft(pipelineID: pipeline.id, stageID: stage.id, leadID: leadID, createdBy: tx.actor, at: tx.now)
        var input = input
        if input.ownerId == nil { input.ownerId = tx.actorUser }
        if checkOwner { try await OwnerCheck(tx).check(.opportunity, .initial(input.ownerId)) }
        try input.validated(into: &opportunity, definitions: try await CustomFieldRepository(tx.connection).all(entity: .opportunity))
        let related = try await checkRelated(opportunity)
        try await opportunities.insert(opportunity, tenant: tx.tenant)
        try await opportunities.recordStageChange(
            StageChange(id: UUID(), opportunityID: opportunity.id, fromStageID: nil, toStageID: stage.id, changedBy: tx.actor, changedAt: tx.now),
            tenant: tx.tenant)
        var notes: [CRMTransaction.TimelineNote] = [
            .init(recordType: .opportunity, recordID: opportunity.id, summary: "Opportunity \(opportunity.name) created in \(stage.name)")
        ]
        notes += related.map { .init(recordType: $0.0, recordID: $0.1, summary: "Opportunity \(opportunity.name) created") }
        try await tx.publish(EventType.CRM.opportunityCreated, subject: opportunity.id, opportunity.event(probability: stage.probability), timeline: notes)
        return opportunity
    }

    func update(_ id: UUID, patch: OpportunityPatch, expectedVersion: Int64) async throws -> Opportunity {
        let current = try await live(id, expectedVersion: expectedVersion)
        var opportunity = current
        try patch.applied(to: OpportunityInput(current)).validated(
            into: &opportunity, definitions: try await CustomFieldRepository(tx.connection).all(entity: .opportunity))
        try await OwnerCheck(tx).check(.opportunity, .reassignment(from: current.ownerID, to: opportunity.ownerID))
        if opportunity.companyID != current.companyID || opportunity.contactID != current.contactID { _ = try await checkRelated(opportunity) }
        try await saveNext(&opportunity)
        try await publishEdit(opportunity, changed: patch.changedMembers)
        return opportunity
    }

    /// Moves an open opportunity to another open stage of its pipeline.
    func moveStage(_ id: UUID, to stageID: UUID, expectedVersion: Int64?) async throws -> Opportunity {
        var opportunity = try await live(id, expectedVersion: expectedVersion)
        guard opportunity.status == .open else { throw CRMError.opportunityClosed(opportunity.status.rawValue) }
        let pipeline = try await pipeline(of: opportunity)
        guard let stage = pipeline.stage(stageID), stage.kind == .open else {
            throw ProblemDetails.validation([.invalid("stageId", message: "An open stage of the opportunity's pipeline; use /won or /lost to close.")])
        }
        guard stage.id != opportunity.stageID else { return opportunity }
        return try await changeStage(&opportunity, to: stage, pipeline: pipeline, status: .open, reason: nil)
    }

    /// Closes the opportunity as won or lost (a lost one needs a reason).
    func close(_ id: UUID, won: Bool, reason: String?, expectedVersion: Int64?) async throws -> Opportunity {
        var opportunity = try await live(id, expectedVersion: expectedVersion)
        guard opportunity.status == .open else { throw CRMError.opportunityClosed(opportunity.status.rawValue) }
        var validator = FieldValidator()
        let reason = validator.text(reason, field: "reason", maximum: 500)
        if !won, reason == nil { validator.add(.required("reason", message: "Say why the opportunity was lost.")) }
        try validator.check()
        let pipeline = try await pipeline(of: opportunity)
        guard let stage = won ? pipeline.wonStage : pipeline.lostStage else { throw CRMError.opportunityClosed("without a closing stage") }
        return try await changeStage(&opportunity, to: stage, pipeline: pipeline, status: won ? .won : .lost, reason: reason)
    }

    /// Opens a won or lost opportunity again, in `stageID` or the last open stage it was in.
    func reopen(_ id: UUID, stageID: UUID?, expectedVersion: Int64?) async throws -> Opportunity {
        var opportunity = try await live(id, expectedVersion: expectedVersion)
        guard opportunity.status != .open else { throw CRMError.opportunityNotClosed }
        let pipeline = try await pipeline(of: opportunity)
        let history = try await opportunities.stageHistory(id)
        let target = stageID ?? history.reversed().map(\.toStageID).first { pipeline.stage($0)?.kind == .open } ?? pipeline.firstOpenStage?.id
        guard let targetID = target, let stage = pipeline.stage(targetID), stage.kind == .open else {
            throw ProblemDetails.validation([.invalid("stageId", message: "An open stage of the opportunity's pipeline.")])
        }
        return try await changeStage(&opportunity, to: stage, pipeline: pipeline, status: .open, reason: nil)
    }

    private func changeStage(
        _ opportunity: inout Opportunity, to stage: PipelineStage, pipeline: Pipeline, status: OpportunityStatus, reason: String?
    ) async throws -> Opportunity {
        let previous = opportunity
        let from = pipeline.stage(previous.stageID)
        opportunity.stageID = stage.id
        opportunity.stageEnteredAt = tx.now
        opportunity.status = status
        opportunity.closeReason = status == .open ? nil : reason
        opportunity.closedAt = status == .open ? nil : tx.now
        try await saveNext(&opportunity)
        try await opportunities.recordStageChange(
            StageChange(id: UUID(), opportunityID: opportunity.id, fromStageID: previous.stageID, toStageID: stage.id, changedBy: tx.actor, changedAt: tx.now),
            tenant: tx.tenant)
        let fromName = from?.name ?? "an archived stage"
        try await tx.publish(
            EventType.CRM.opportunityStageChanged, subject: opportunity.id,
            OpportunityStageChanged(
                opportunityId: opportunity.id, pipelineId: pipeline.id, fromStageId: previous.stageID, fromStageName: fromName, toStageId: stage.id,
                toStageName: stage.name, probability: stage.probability, changedBy: tx.actor),
            timeline: [.init(recordType: .opportunity, recordID: opportunity.id, summary: "Stage \(fromName) → \(stage.name)")])
        if status != .open {
            let closed = OpportunityClosed(
                opportunityId: opportunity.id, name: opportunity.name, outcome: status.rawValue, reason: reason, amount: opportunity.amount,
                companyId: opportunity.companyID, contactId: opportunity.contactID, ownerId: opportunity.ownerID, closedAt: tx.now, closedBy: tx.actor)
            var notes: [CRMTransaction.TimelineNote] = [
                .init(recordType: .opportunity, recordID: opportunity.id, summary: "\(status == .won ? "Won" : "Lost")\(reason.map { ": \($0)" } ?? "")")
            ]
            if let company = opportunity.companyID {
                notes.append(.init(recordType: .company, recordID: company, summary: "Opportunity \(opportunity.name) \(status.rawValue)"))
            }
            try await tx.publish(status == .won ? EventType.CRM.opportunityWon : EventType.CRM.opportunityLost, subject: opportunity.id, closed, timeline: notes)
        }
        return opportunity
    }

    private func pipeline(of opportunity: Opportunity) async throws -> Pipeline {
        guard let pipeline = try await PipelineRepository(tx.connection).find(opportunity.pipelineID) else { throw ProblemDetails.notFound() }
        return pipeline
    }

    private func probability(_ opportunity: Opportunity) async throws -> Int {
        try await PipelineRepository(tx.connection).allStages()[opportunity.stageID]?.stage.probability ?? 0
    }

    /// The company and contact must be live records of this tenant; returns them for timeline notes.
    private func checkRelated(_ opportunity: Opportunity) async throws -> [(RecordType, UUID)] {
        var related: [(RecordType, UUID)] = []
        var validator = FieldValidator()
        if let company = opportunity.companyID {
            if let found = try await CompanyRepository(tx.connection).find(company), found.deletedAt == nil {
                related.append((.company, company))
            } else {
                validator.add(.invalid("companyId", message: "No such company."))
            }
        }
        if let contact = opportunity.contactID {
            if let found = try await ContactRepository(tx.connection).find(contact), found.deletedAt == nil {
                related.append((.contact, contact))
            } else {
                validator.add(.invalid("contactId", message: "No such contact."))
            }
        }
        try validator.check()
        return related
    }
}
