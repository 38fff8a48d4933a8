import ERPCrypto
import ERPProtocol
import Foundation

/// Starts login sessions and rotates their refresh tokens, answering with a token pair.
struct SessionIssuer: Sendable {
    let sessions: SessionRepository
    let tokens: TokenIssuer
    let box: SecretBox
    let configuration: AuthConfiguration

    private static let successorPurpose = "erp-auth.refresh-successor"

    /// A new session for `user` with the grants of `roles`.
    func start(user: User, roles: [Role], client: ClientInfo, mfa: Bool, now: Date = Date()) async throws -> TokenResponse {
        let session = Session(
            id: .random(), tenantID: user.tenantID, userID: user.id, createdAt: now, lastUsedAt: now, ip: client.ip,
            userAgent: String(client.userAgent.prefix(512)), mfa: mfa
        )
        let refresh = RefreshToken(sessionID: session.id)
        try await sessions.create(
            session, secretHash: refresh.secretHash, idleLifetime: configuration.refreshIdleLifetime,
            absoluteLifetime: configuration.refreshAbsoluteLifetime
        )
        return try await response(user: user, roles: roles, session: session.id, refresh: refresh.value)
    }

    enum RefreshOutcome: Sendable {
        case refreshed(tenant: TenantID, user: UserID, finish: @Sendable (User, [Role]) async throws -> TokenResponse)
        case reused(tenant: TenantID, user: UserID)
        case invalid
    }

    /// Rotates `presented`. On success the caller loads the user (who may have been deactivated
    /// meanwhile) and calls `finish` with the current roles.
    func refresh(_ presented: RefreshToken, client: ClientInfo, now: Date = Date()) async throws -> RefreshOutcome {
        let successor = RefreshToken(sessionID: presented.sessionID)
        let sealed = try box.seal(Array(successor.value.utf8), purpose: Self.successorPurpose)
        let rotation = try await sessions.rotate(
            presented, newSecretHash: successor.secretHash, sealedSuccessor: sealed, now: now, grace: configuration.refreshReuseGrace,
            idleLifetime: configuration.refreshIdleLifetime, absoluteLifetime: configuration.refreshAbsoluteLifetime, client: client
        )
        let box = box
        switch rotation {
        case .rotated(let tenant, let user):
            return .refreshed(tenant: tenant, user: user) { user, roles in
                try await response(user: user, roles: roles, session: presented.sessionID, refresh: successor.value)
            }
        case .grace(let tenant, let user, let sealedSuccessor):
            // The same successor the first request got, so both tabs end up holding one token.
            let value = String(decoding: try box.open(sealedSuccessor, purpose: Self.successorPurpose), as: UTF8.self)
            return .refreshed(tenant: tenant, user: user) { user, roles in
                try await response(user: user, roles: roles, session: presented.sessionID, refresh: value)
            }
        case .reused(let tenant, let user):
            return .reused(tenant: tenant, user: user)
        case .invalid:
            return .invalid
        }
    }

    private func response(user: User, roles: [Role], session: SessionID, refresh: String) async throws -> TokenResponse {
        let permissions = roles.reduce(PermissionSet()) { $0.union($1.permissions) }
        let access = try await tokens.accessToken(
            subject: user.id.description, tenant: user.tenantID, roles: roles.map(\.name).sorted(), permissions: permissions,
            session: session, kind: .user
        )
        return TokenResponse(
            accessToken: access, tokenType: "Bearer", expiresIn: tokens.lifetime, refreshToken: refresh,
            refreshExpiresIn: configuration.refreshIdleLifetime, sessionId: session, userId: user.id, organizationId: user.tenantID
        )
    }
}
