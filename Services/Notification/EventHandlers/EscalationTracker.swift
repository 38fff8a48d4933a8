import ERPPostgres
import ERPProtocol
import Foundation

/// Opens an escalation when an event starts a wait (a rule's trigger) and closes the open ones
/// of the same subject when a follow-up arrives.
struct EscalationTracker {
    let connection: PostgresConnection
    let now: Date

    func apply(_ event: EventEnvelope<JSONValue>) async throws {
        let repository = EscalationRepository(connection)
        let due = DueWorkRepository(connection)
        for id in try await repository.resolve(subject: event.subject, by: event.type.rawValue, at: now) {
            try await due.remove(.escalation, item: id)
        }
        for rule in try await repository.triggeredBy(event.type.rawValue) {
            let escalation = Escalation(
                id: UUID(), ruleID: rule.id, subject: event.subject, triggerEventID: event.id.uuid, triggerEventType: event.type.rawValue,
                level: 0, status: .open, dueAt: now.addingTimeInterval(TimeInterval(rule.afterSeconds)), openedAt: now, resolvedAt: nil
            )
            if try await repository.open(escalation, tenant: event.tenantID) {
                try await due.schedule(.escalation, tenant: event.tenantID, item: escalation.id, at: escalation.dueAt)
            }
        }
    }
}
