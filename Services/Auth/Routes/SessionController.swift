import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// The caller's login sessions: list, revoke one, log out, log out everywhere.
struct SessionController {
    let dependencies: AuthDependencies

    struct SessionResponse: ResponseCodable {
        var id: SessionID
        var createdAt: Date
        var lastUsedAt: Date
        var ip: String
        var userAgent: String
        var mfa: Bool
        var current: Bool

        init(_ session: Session, current: SessionID?) {
            (id, createdAt, lastUsedAt, ip, userAgent, mfa) = (session.id, session.createdAt, session.lastUsedAt, session.ip, session.userAgent, session.mfa)
            self.current = session.id == current
        }
    }

    struct SessionList: ResponseCodable { var items: [SessionResponse] }
    struct LogoutInput: Decodable { var refreshToken: String? }

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/me/sessions", use: list)
        router.delete("/v1/me/sessions/:id", use: revoke)
        router.delete("/v1/me/sessions", use: revokeAll)
        router.post("/v1/logout", use: logout)
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> SessionList {
        let (tenant, user) = try context.requireUser()
        let current = context.identity?.claims.sid
        let sessions = try await dependencies.sessions.sessions(tenant: tenant, user: user)
        return SessionList(items: sessions.map { SessionResponse($0, current: current) })
    }

    @Sendable func revoke(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let (tenant, user) = try context.requireUser()
        guard let text = context.parameters.get("id"), let id = SessionID(string: text),
            let session = try await dependencies.sessions.find(id), session.tenantID == tenant, session.userID == user
        else { throw AuthError.sessionNotFound }
        try await dependencies.sessions.revoke(id)
        try await record([id], tenant: tenant, user: user, reason: "revoked", request: request, context: context)
        return .noContent
    }

    @Sendable func revokeAll(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let (tenant, user) = try context.requireUser()
        let revoked = try await dependencies.sessions.revokeAll(tenant: tenant, user: user)
        try await record(revoked, tenant: tenant, user: user, reason: "logout_all", request: request, context: context)
        return .noContent
    }

    /// Public, so an expired access token can still log out with its refresh token.
    @Sendable func logout(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        var target: Session?
        if let sid = context.identity?.claims.sid {
            target = try await dependencies.sessions.find(sid)
        } else {
            let input = try? await request.decode(as: LogoutInput.self, context: context)
            if let text = input?.refreshToken, let token = RefreshToken(parsing: text), try await dependencies.sessions.holds(token) {
                target = try await dependencies.sessions.find(token.sessionID)
            }
        }
        guard let session = target else {
            guard context.identity != nil else { throw AuthError.invalidRefreshToken }
            return .noContent
        }
        try await dependencies.sessions.revoke(session.id)
        try await record([session.id], tenant: session.tenantID, user: session.userID, reason: "logout", request: request, context: context)
        return .noContent
    }

    private func record(_ ids: [SessionID], tenant: TenantID, user: UserID, reason: String, request: Request, context: ERPRequestContext) async throws {
        guard !ids.isEmpty else { return }
        let client = context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor)
        let trace = context.trace
        try await dependencies.inTenant(tenant) { connection in
            let recorder = ChangeRecorder(connection, tenant: tenant, trace: trace)
            for id in ids {
                try await recorder.audit(
                    AuditEntry(action: reason == "logout" ? .logout : .sessionRevoked, actorType: .user, actorID: user.description,
                               targetType: "session", targetID: id.description, ip: client.ip, userAgent: client.userAgent, details: ["reason": reason])
                )
                try await recorder.emit(EventType.Auth.sessionRevoked, subject: id.description, SessionRevoked(sessionId: id, userId: user, reason: reason))
            }
        }
    }
}
