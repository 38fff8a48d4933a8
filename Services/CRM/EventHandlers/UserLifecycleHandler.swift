import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation

/// `erp.auth.user.created`, `.updated`, `.deactivated` and `.reactivated` → the user's row in
/// `members`, as the payload describes them after the change. One instance per event type. Runs
/// in the inbox transaction (a redelivered event is skipped there); an event older than the
/// stored state changes nothing, so late deliveries cannot bring a deactivated user back.
struct UserLifecycleHandler: EventHandler {
    static let eventTypes = [EventType.Auth.userCreated, EventType.Auth.userUpdated, EventType.Auth.userDeactivated, EventType.Auth.userReactivated]

    let eventType: EventType

    func handle(_ event: EventEnvelope<UserLifecycleEvent>, connection: PostgresConnection) async throws {
        let user = event.data
        // A status auth does not define yet counts as not active: owning records needs a clear yes.
        let status = Member.Status(rawValue: user.status) ?? .deactivated
        try await MemberRepository(connection).apply(
            Member(userID: user.userId, name: user.name, email: user.email, status: status, updatedAt: event.time), tenant: event.tenantID)
    }
}
