import ERPPostgres
import ERPProtocol
import ERPServiceKit

/// The plan's user limit: active users plus open invitations may not exceed it. Runs inside
/// the change's transaction with the organization row locked, so concurrent invitations
/// cannot overshoot. With a source configured the check always runs; a source that cannot
/// answer makes the change fail (503) instead of letting it through.
struct SeatCheck {
    let source: (any EntitlementSource)?

    /// `claiming` seats are about to be taken; `alreadyCounted` of them are open invitations
    /// already included in the count (accepting an invitation claims the seat it reserved).
    func ensure(tenant: TenantID, claiming: Int = 1, alreadyCounted: Int = 0, on connection: PostgresConnection) async throws {
        guard let source else { return }
        _ = try await OrganizationRepository(connection).find(tenant, forUpdate: true)
        let limit: Int?
        do {
            limit = try await source.limit(.users, tenant: tenant)
        } catch {
            throw ProblemDetails.serviceUnavailable(detail: "The plan's user limit cannot be checked right now; try again shortly.")
        }
        guard let limit else { return }
        let used = try await UserRepository(connection).activeCount() + InvitationRepository(connection).pendingCount()
        if used - alreadyCounted + claiming > limit {
            throw ProblemDetails.planLimitExceeded(detail: "The plan allows \(limit) users (active users and open invitations); upgrade the plan or deactivate someone.")
        }
    }
}
