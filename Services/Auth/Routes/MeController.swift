import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// The caller's own account: profile, password change, email verification.
struct MeController {
    let dependencies: AuthDependencies

    struct ProfileInput: Decodable {
        var name: String?
        var locale: String?
        var timezone: String?
    }

    struct PasswordChange: Decodable {
        var currentPassword: String?
        var newPassword: String?
    }

    struct TokenInput: Decodable { var token: String? }

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/me", use: show)
        router.patch("/v1/me", use: update)
        router.post("/v1/me/password", use: changePassword)
        router.post("/v1/me/email-verification", use: requestVerification)
        router.post("/v1/email-verification/confirm", use: confirmVerification)
    }

    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<UserResponse> {
        let (tenant, userID) = try context.requireUser()
        let response = try await dependencies.inTenant(tenant) { connection -> UserResponse? in
            guard let user = try await UserRepository(connection).find(userID) else { return nil }
            return UserResponse(user, roles: try await RoleRepository(connection).roles(of: userID).map(\.name))
        }
        guard let response else { throw ProblemDetails.notFound() }
        return respond(response, headers: .etag(response.version))
    }

    @Sendable func update(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<UserResponse> {
        let identity = try context.requireIdentity()
        let (tenant, userID) = try context.requireUser()
        let input = try await request.decode(as: ProfileInput.self, context: context)
        let response = try await ProfileUpdate(dependencies: dependencies).apply(
            name: input.name, locale: input.locale, timezone: input.timezone, to: userID, tenant: tenant, expectedVersion: nil,
            identity: identity, client: context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor), trace: context.trace
        )
        return respond(response, headers: .etag(response.version))
    }

    @Sendable func changePassword(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let identity = try context.requireIdentity()
        let (tenant, userID) = try context.requireUser()
        let input = try await request.decode(as: PasswordChange.self, context: context)
        guard let newPassword = input.newPassword, !newPassword.isEmpty else { throw ProblemDetails.validation([.required("newPassword")]) }
        let user = try await CurrentPassword(dependencies: dependencies).verify(input.currentPassword, tenant: tenant, user: userID)
        let organization = try await dependencies.inTenant(tenant) { try await OrganizationRepository($0).find(tenant) }
        try dependencies.configuration.passwordPolicy.raising(minimumLength: organization?.passwordMinLength)
            .validate(newPassword, email: user.email, field: "newPassword")
        let hash = try await dependencies.hashing.hash(newPassword)
        let client = context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor)
        let trace = context.trace
        try await dependencies.inTenant(tenant) { connection in
            try await UserRepository(connection).setPassword(userID, hash: hash)
            let recorder = ChangeRecorder(connection, tenant: tenant, trace: trace)
            try await recorder.audit(.by(identity, action: .passwordChanged, client: client, targetType: "user", targetID: userID.description))
            try await recorder.emit(EventType.Auth.passwordChanged, subject: userID.description, UserSecurityChanged(userId: userID, email: user.email, reason: "changed"))
        }
        // Whoever else holds a session may hold the old password too; this device stays in.
        _ = try await dependencies.sessions.revokeAll(tenant: tenant, user: userID, except: identity.claims.sid)
        return .noContent
    }

    @Sendable func requestVerification(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let (tenant, userID) = try context.requireUser()
        let lifetime = TimeInterval(dependencies.configuration.emailVerificationLifetime)
        let dependencies = dependencies
        let trace = context.trace
        try await dependencies.inTenant(tenant) { connection in
            guard let user = try await UserRepository(connection).find(userID) else { throw ProblemDetails.notFound() }
            guard user.emailVerifiedAt == nil else { throw ProblemDetails.conflict(detail: "The email address is already verified.") }
            let token = TenantBoundToken(purpose: .emailVerification, tenant: tenant)
            let expiry = Date().addingTimeInterval(lifetime)
            let tokens = UserTokenRepository(connection)
            try await tokens.invalidate(user: userID, purpose: .emailVerification)
            try await tokens.insert(tenant: tenant, user: userID, purpose: .emailVerification, tokenHash: token.hash, expiresAt: expiry)
            try await ChangeRecorder(connection, tenant: tenant, trace: trace).emit(
                EventType.Auth.emailVerificationRequested, subject: userID.description,
                UserTokenIssued(userId: userID, email: user.email, name: user.name, token: token.value,
                                url: dependencies.link("verify-email", token: token.value), expiresAt: expiry)
            )
        }
        return .accepted
    }

    /// Public: the link in the mail carries the token.
    @Sendable func confirmVerification(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let input = try await request.decode(as: TokenInput.self, context: context)
        guard let text = input.token, let token = TenantBoundToken(parsing: text, purpose: .emailVerification) else { throw AuthError.invalidToken }
        let client = context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor)
        let trace = context.trace
        try await dependencies.inTenant(token.tenantID) { connection in
            guard let userID = try await UserTokenRepository(connection).consume(tokenHash: token.hash, purpose: .emailVerification),
                let user = try await UserRepository(connection).find(userID)
            else { throw AuthError.invalidToken }
            try await UserRepository(connection).markEmailVerified(userID)
            let recorder = ChangeRecorder(connection, tenant: token.tenantID, trace: trace)
            try await recorder.audit(
                AuditEntry(action: .emailVerified, actorType: .user, actorID: userID.description, targetType: "user", targetID: userID.description,
                           ip: client.ip, userAgent: client.userAgent)
            )
            try await recorder.emit(EventType.Auth.userEmailVerified, subject: userID.description, UserSecurityChanged(userId: userID, email: user.email, reason: "link"))
        }
        return .noContent
    }
}
