import ERPServiceKit

extension AuditEntry {
    /// An entry whose actor is the caller of `context` (user, service account or API key).
    static func by(
        _ identity: Identity, action: AuditAction, client: ClientInfo, targetType: String? = nil, targetID: String? = nil,
        outcome: Outcome = .success, details: [String: String] = [:]
    ) -> AuditEntry {
        AuditEntry(
            action: action, outcome: outcome, actorType: identity.isService ? .service : .user, actorID: identity.subject,
            targetType: targetType, targetID: targetID, ip: client.ip, userAgent: client.userAgent, details: details
        )
    }
}
