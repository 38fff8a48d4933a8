import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Other users' sessions, for admins holding `auth.session.*`: see where an account is
/// signed in and end one session or all of them (a lost laptop, a departing employee)
/// without deactivating the account.
struct UserSessionController {
    let dependencies: AuthDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/users/:id/sessions", use: list)
        router.delete("/v1/users/:id/sessions/:sid", use: revoke)
        router.delete("/v1/users/:id/sessions", use: revokeAll)
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> SessionController.SessionList {
        let tenant = try context.require("auth.session.read").tenantID
        let user = try await existingUser(request, context: context, tenant: tenant)
        let current = context.identity?.claims.sid
        let sessions = try await dependencies.sessions.sessions(tenant: tenant, user: user)
        return .init(items: sessions.map { .init($0, current: current) })
    }

    @Sendable func revoke(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let identity = try context.require("auth.session.revoke")
        let user = try await existingUser(request, context: context, tenant: identity.tenantID)
        guard let text = context.parameters.get("sid"), let id = SessionID(string: text),
            let session = try await dependencies.sessions.find(id), session.tenantID == identity.tenantID, session.userID == user
        else { throw AuthError.sessionNotFound }
        try await dependencies.sessions.revoke(id)
        try await record([id], user: user, identity: identity, reason: "revoked_by_admin", request: request, context: context)
        return .noContent
    }

    @Sendable func revokeAll(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let identity = try context.require("auth.session.revoke")
        let user = try await existingUser(request, context: context, tenant: identity.tenantID)
        let revoked = try await dependencies.sessions.revokeAll(tenant: identity.tenantID, user: user)
        try await record(revoked, user: user, identity: identity, reason: "revoked_by_admin", request: request, context: context)
        return .noContent
    }

    /// Sessions live in Redis, so the user is looked up in Postgres first: an id from another
    /// organization (or none) answers 404 like every other cross-tenant read.
    private func existingUser(_ request: Request, context: ERPRequestContext, tenant: TenantID) async throws -> UserID {
        let id = UserID(try request.uuidParameter("id", context: context))
        let found = try await dependencies.inTenant(tenant) { try await UserRepository($0).find(id) != nil }
        guard found else { throw ProblemDetails.notFound() }
        return id
    }

    private func record(_ ids: [SessionID], user: UserID, identity: Identity, reason: String, request: Request, context: ERPRequestContext) async throws {
        guard !ids.isEmpty else { return }
        try await dependencies.change(by: identity, request, context) { _, recorder, client in
            for id in ids {
                try await recorder.audit(.by(identity, action: .sessionRevoked, client: client, targetType: "session", targetID: id.description,
                                             details: ["reason": reason, "userId": user.description]))
                try await recorder.emit(EventType.Auth.sessionRevoked, subject: id.description, SessionRevoked(sessionId: id, userId: user, reason: reason))
            }
        }
    }
}
