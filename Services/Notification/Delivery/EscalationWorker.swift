import ERPCrypto
import ERPPostgres
import ERPProtocol
import Foundation

/// Handles a due escalation: tells the next person of the chain (through the same planner, so
/// templates and preferences apply) and schedules the next level, or closes it as exhausted.
struct EscalationWorker {
    let dependencies: NotificationDependencies

    func process(tenant: TenantID, escalation id: UUID) async throws {
        let now = dependencies.clock.now()
        let configuration = dependencies.configuration
        let queued = try await dependencies.inTenant(tenant) { connection -> Bool in
            let repository = EscalationRepository(connection)
            let due = DueWorkRepository(connection)
            guard let escalation = try await repository.find(id, lock: true), escalation.status == .open,
                let rule = try await repository.rule(escalation.ruleID)
            else {
                try await due.remove(.escalation, item: id)
                return false
            }
            if escalation.dueAt > now.addingTimeInterval(0.001) {
                try await due.schedule(.escalation, tenant: tenant, item: id, at: escalation.dueAt)
                return false
            }
            let level = escalation.level + 1
            var queued = false
            if let person = rule.chain.dropFirst(escalation.level).first, let recipient = try await DirectoryRepository(connection).user(person) {
                let event = try Self.notice(escalation, level: level, tenant: tenant, waiting: Int(now.timeIntervalSince(escalation.openedAt)), now: now)
                let planner = DeliveryPlanner(connection: connection, configuration: configuration, now: now)
                for channel in rule.channels where channel != .webhook {
                    let personal = EventRule(id: nil, eventType: event.type.rawValue, channel: channel, audience: .user(person), enabled: true,
                                             transactional: false, version: 0, createdAt: nil)
                    if try await planner.planPersonal(event, rule: personal, recipient: recipient) { queued = true }
                }
            }
            if level < rule.chain.count {
                let next = now.addingTimeInterval(TimeInterval(rule.afterSeconds))
                try await repository.advance(id, level: level, status: .open, dueAt: next)
                try await due.schedule(.escalation, tenant: tenant, item: id, at: next)
            } else {
                try await repository.advance(id, level: level, status: .exhausted, dueAt: now)
                try await due.remove(.escalation, item: id)
            }
            return queued
        }
        if queued { dependencies.wake.wake() }
    }

    /// The synthetic event an escalation level notifies with; its id is derived from the
    /// escalation and the level, so a level retried after a crash cannot notify twice.
    static func notice(_ escalation: Escalation, level: Int, tenant: TenantID, waiting: Int, now: Date) throws -> EventEnvelope<JSONValue> {
        let digest = HMAC.authenticationCode(for: Array("level:\(level)".utf8), key: Array(escalation.id.uuidString.utf8))
        let bytes = Array(digest.prefix(16))
        let id = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], (bytes[6] & 0x0F) | 0x40, bytes[7],
                             (bytes[8] & 0x3F) | 0x80, bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return EventEnvelope(
            type: try EventType(NotificationCatalogue.escalationEventType), tenantID: tenant, subject: escalation.subject,
            data: .object([
                "triggerEventType": .string(escalation.triggerEventType), "subject": .string(escalation.subject), "level": .integer(Int64(level)),
                "openedAt": .string(escalation.openedAt.formatted(.iso8601)), "waitingSeconds": .integer(Int64(waiting)),
            ]),
            id: EventID(id), time: now
        )
    }
}
