import ERPCrypto
import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// `POST /v1/sessions`: email + password (+ TOTP or a recovery code when enrolled) → access
/// token and refresh token. Throttled per account and per IP before any password is checked;
/// unknown emails cost the same hash as known ones and fail with the same answer.
struct LoginController {
    let dependencies: AuthDependencies

    struct Input: Decodable {
        var email: String?
        var password: String?
        /// The organization's slug; needed only when the email belongs to several.
        var organization: String?
        var totpCode: String?
        var recoveryCode: String?
    }

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.post("/v1/sessions", use: login)
    }

    @Sendable func login(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<TokenResponse> {
        let input = try await request.decode(as: Input.self, context: context)
        var issues: [FieldIssue] = []
        if (input.email ?? "").isEmpty { issues.append(.required("email")) }
        if (input.password ?? "").isEmpty { issues.append(.required("password")) }
        guard issues.isEmpty, let email = input.email, let password = input.password else { throw ProblemDetails.validation(issues) }
        guard password.count <= dependencies.configuration.passwordPolicy.maximumLength * 4 else { throw AuthError.invalidCredentials }
        let client = context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor)
        let accountKey = email.lowercased()

        switch try await dependencies.attempts.check(account: accountKey, ip: client.ip) {
        case .allowed: break
        case .accountLocked(let seconds): throw AuthError.accountLocked(retryAfter: seconds)
        case .ipLocked(let seconds), .delayed(let seconds): throw AuthError.loginThrottled(retryAfter: seconds)
        }

        let user = try await resolveUser(email: email, organization: input.organization)
        let passwordMatches = try await dependencies.hashing.verify(password, against: user?.isActive == true ? user?.passwordHash : nil)
        guard let user, passwordMatches else {
            try await recordFailure(account: accountKey, user: user, client: client, context: context, reason: "password")
            throw AuthError.invalidCredentials
        }

        var usedSecondFactor = false
        if user.mfaEnabled {
            guard input.totpCode != nil || input.recoveryCode != nil else { throw AuthError.mfaRequired }
            let accepted = try await MFAVerifier(dependencies: dependencies).verifyLogin(
                user: user, totpCode: input.totpCode, recoveryCode: input.recoveryCode, client: client, trace: context.trace
            )
            guard accepted else {
                try await recordFailure(account: accountKey, user: user, client: client, context: context, reason: "mfa")
                throw AuthError.invalidMFACode
            }
            usedSecondFactor = true
        }

        try await dependencies.attempts.recordSuccess(account: accountKey, ip: client.ip)
        if let hash = user.passwordHash, dependencies.hashing.needsRehash(hash) {
            // The parameters got stronger since this hash was made; the password is at hand now.
            let upgraded = try await dependencies.hashing.hash(password)
            try await dependencies.inTenant(user.tenantID) { try await UserRepository($0).upgradePasswordHash(user.id, from: hash, to: upgraded) }
        }
        let trace = context.trace
        let roles = try await dependencies.inTenant(user.tenantID) { connection in
            try await UserRepository(connection).recordLogin(user.id)
            try await ChangeRecorder(connection, tenant: user.tenantID, trace: trace).audit(
                AuditEntry(action: .loginSucceeded, actorType: .user, actorID: user.id.description, targetType: "user", targetID: user.id.description,
                           ip: client.ip, userAgent: client.userAgent, details: ["mfa": usedSecondFactor ? "totp" : "none"])
            )
            return try await RoleRepository(connection).roles(of: user.id)
        }
        let tokens = try await dependencies.issuer.start(user: user, roles: roles, client: client, mfa: usedSecondFactor)
        return respond(tokens, status: .created, headers: [.cacheControl: "no-store"])
    }

    /// The user the email (and optional slug) names. Several matches without a slug is a 422.
    private func resolveUser(email: String, organization: String?) async throws -> User? {
        let slug = organization.flatMap { $0.isEmpty ? nil : $0.lowercased() }
        let matching = try await dependencies.pool.withConnection { connection -> [(TenantID, UserID)] in
            let candidates = try await UserRepository(connection).directory(email: email)
            guard let slug else { return candidates }
            guard let tenant = try await OrganizationRepository(connection).tenant(forSlug: slug) else { return [] }
            return candidates.filter { $0.0 == tenant }
        }
        guard let (tenant, userID) = matching.first else { return nil }
        guard matching.count == 1 else { throw AuthError.organizationRequired }
        return try await dependencies.inTenant(tenant) { try await UserRepository($0).find(userID) }
    }

    private func recordFailure(account: String, user: User?, client: ClientInfo, context: ERPRequestContext, reason: String) async throws {
        let outcome = try await dependencies.attempts.recordFailure(account: account, ip: client.ip)
        guard let user else { return }
        let lockSeconds = dependencies.configuration.throttle.lockDuration
        let trace = context.trace
        try await dependencies.inTenant(user.tenantID) { connection in
            let recorder = ChangeRecorder(connection, tenant: user.tenantID, trace: trace)
            try await recorder.audit(
                AuditEntry(action: .loginFailed, outcome: .failure, actorType: .anonymous, targetType: "user", targetID: user.id.description,
                           ip: client.ip, userAgent: client.userAgent, details: ["reason": reason])
            )
            if case .accountLocked(let failures) = outcome {
                let until = Date().addingTimeInterval(TimeInterval(lockSeconds))
                try await recorder.audit(
                    AuditEntry(action: .accountLocked, actorType: .system, targetType: "user", targetID: user.id.description, ip: client.ip,
                               userAgent: client.userAgent, details: ["failedAttempts": String(failures), "lockedSeconds": String(lockSeconds)])
                )
                try await recorder.emit(
                    EventType.Auth.accountLocked, subject: user.id.description,
                    AccountLocked(userId: user.id, email: user.email, failedAttempts: failures, lockedUntil: until)
                )
            }
        }
        if case .accountLocked = outcome { throw AuthError.accountLocked(retryAfter: lockSeconds) }
    }
}

