import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// `POST /v1/password-reset` (always the same answer, whether the email exists or not) and
/// `POST /v1/password-reset/confirm` (single-use token → new password, every session revoked).
struct PasswordResetController {
    let dependencies: AuthDependencies

    /// Reset mails per email and hour, so the endpoint cannot be used to flood a mailbox.
    static let requestsPerHour = 5

    struct RequestInput: Decodable {
        var email: String?
        var organization: String?
    }

    struct ConfirmInput: Decodable {
        var token: String?
        var password: String?
    }

    struct Accepted: ResponseCodable { var message: String }

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.post("/v1/password-reset", use: request)
        router.post("/v1/password-reset/confirm", use: confirm)
    }

    @Sendable func request(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<Accepted> {
        let input = try await request.decode(as: RequestInput.self, context: context)
        let email = try EmailAddress.parse(input.email ?? "")
        let client = context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor)
        let answer = respond(Accepted(message: "If an account uses this address, a reset link is on its way."), status: .accepted)
        guard try await dependencies.attempts.recordResetRequest(account: email.lowercased) <= Self.requestsPerHour else { return answer }

        let candidates = try await dependencies.pool.withConnection { connection in
            let matches = try await UserRepository(connection).directory(email: email.value)
            guard let slug = input.organization, !slug.isEmpty else { return matches }
            guard let tenant = try await OrganizationRepository(connection).tenant(forSlug: slug.lowercased()) else { return [] }
            return matches.filter { $0.0 == tenant }
        }
        let lifetime = TimeInterval(dependencies.configuration.passwordResetLifetime)
        let dependencies = dependencies
        let trace = context.trace
        for (tenant, userID) in candidates {
            try await dependencies.inTenant(tenant) { connection in
                guard let user = try await UserRepository(connection).find(userID), user.isActive else { return }
                let token = TenantBoundToken(purpose: .passwordReset, tenant: tenant)
                let expiry = Date().addingTimeInterval(lifetime)
                let tokens = UserTokenRepository(connection)
                try await tokens.invalidate(user: userID, purpose: .passwordReset)
                try await tokens.insert(tenant: tenant, user: userID, purpose: .passwordReset, tokenHash: token.hash, expiresAt: expiry)
                let recorder = ChangeRecorder(connection, tenant: tenant, trace: trace)
                try await recorder.audit(
                    AuditEntry(action: .passwordResetRequested, actorType: .anonymous, targetType: "user", targetID: userID.description,
                               ip: client.ip, userAgent: client.userAgent)
                )
                try await recorder.emit(
                    EventType.Auth.passwordResetRequested, subject: userID.description,
                    UserTokenIssued(userId: userID, email: user.email, name: user.name, token: token.value,
                                    url: dependencies.link("reset-password", token: token.value), expiresAt: expiry)
                )
            }
        }
        return answer
    }

    @Sendable func confirm(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let input = try await request.decode(as: ConfirmInput.self, context: context)
        guard let password = input.password, !password.isEmpty else { throw ProblemDetails.validation([.required("password")]) }
        guard let text = input.token, let token = TenantBoundToken(parsing: text, purpose: .passwordReset) else { throw AuthError.invalidToken }
        let tenant = token.tenantID
        // Check the new password before the token is spent, so a weak choice can be corrected.
        let found = try await dependencies.inTenant(tenant) { connection -> (User, Int?)? in
            guard let userID = try await UserTokenRepository(connection).peek(tokenHash: token.hash, purpose: .passwordReset),
                let user = try await UserRepository(connection).find(userID), user.isActive
            else { return nil }
            return (user, try await OrganizationRepository(connection).find(tenant)?.passwordMinLength)
        }
        guard let (user, organizationMinimum) = found else { throw AuthError.invalidToken }
        try dependencies.configuration.passwordPolicy.raising(minimumLength: organizationMinimum).validate(password, email: user.email)
        let hash = try await dependencies.hashing.hash(password)
        let client = context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor)
        let trace = context.trace
        try await dependencies.inTenant(tenant) { connection in
            // Spending the token is the real check: of two concurrent confirms only one gets here.
            guard try await UserTokenRepository(connection).consume(tokenHash: token.hash, purpose: .passwordReset) == user.id else {
                throw AuthError.invalidToken
            }
            try await UserRepository(connection).setPassword(user.id, hash: hash)
            try await UserRepository(connection).markEmailVerified(user.id)
            let recorder = ChangeRecorder(connection, tenant: tenant, trace: trace)
            try await recorder.audit(
                AuditEntry(action: .passwordReset, actorType: .user, actorID: user.id.description, targetType: "user", targetID: user.id.description,
                           ip: client.ip, userAgent: client.userAgent)
            )
            try await recorder.emit(EventType.Auth.passwordChanged, subject: user.id.description, UserSecurityChanged(userId: user.id, email: user.email, reason: "reset"))
        }
        let revoked = try await dependencies.sessions.revokeAll(tenant: tenant, user: user.id)
        try await dependencies.attempts.clear(account: user.email.lowercased(), ip: client.ip)
        if !revoked.isEmpty {
            try await dependencies.inTenant(tenant) { connection in
                let recorder = ChangeRecorder(connection, tenant: tenant, trace: trace)
                for id in revoked {
                    try await recorder.emit(EventType.Auth.sessionRevoked, subject: id.description, SessionRevoked(sessionId: id, userId: user.id, reason: "password_reset"))
                }
            }
        }
        return .noContent
    }
}
