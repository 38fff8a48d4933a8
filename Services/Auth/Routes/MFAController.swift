import ERPCrypto
import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// The caller's TOTP second factor: enroll (needs the password), confirm with a first code
/// (returns recovery codes), disable (needs the password), regenerate recovery codes.
struct MFAController {
    let dependencies: AuthDependencies

    struct PasswordInput: Decodable { var password: String? }
    struct CodeInput: Decodable { var code: String? }

    struct Status: ResponseCodable {
        var totpEnabled: Bool
        var recoveryCodesRemaining: Int
    }

    struct Enrollment: ResponseCodable {
        var secret: String
        var otpauthUri: String
    }

    struct RecoveryCodeList: ResponseCodable {
        var recoveryCodes: [String]
    }

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/me/mfa", use: status)
        router.post("/v1/me/mfa/totp", use: enroll)
        router.post("/v1/me/mfa/totp/confirm", use: confirm)
        router.post("/v1/me/mfa/totp/disable", use: disable)
        router.post("/v1/me/mfa/recovery-codes", use: regenerate)
    }

    @Sendable func status(_ request: Request, context: ERPRequestContext) async throws -> Status {
        let (tenant, userID) = try context.requireUser()
        return try await dependencies.inTenant(tenant) { connection in
            let state = try await MFARepository(connection).totpState(userID)
            return Status(totpEnabled: state?.enabledAt != nil, recoveryCodesRemaining: try await MFARepository(connection).remainingRecoveryCodes(userID))
        }
    }

    @Sendable func enroll(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<Enrollment> {
        let (tenant, userID) = try context.requireUser()
        let input = try await request.decode(as: PasswordInput.self, context: context)
        let user = try await CurrentPassword(dependencies: dependencies).verify(input.password, tenant: tenant, user: userID)
        guard !user.mfaEnabled else {
            throw ProblemDetails.conflict(detail: "Two-factor authentication is already on; disable it first to enroll a new device.")
        }
        let secret = SecureRandom.bytes(count: 20)
        let sealed = try dependencies.box.seal(secret, purpose: MFAVerifier.sealPurpose)
        let organizationName = try await dependencies.inTenant(tenant) { connection -> String in
            try await MFARepository(connection).setPendingSecret(userID, sealed: sealed)
            return try await OrganizationRepository(connection).find(tenant)?.name ?? "ERP"
        }
        let uri = OneTimePassword.provisioningURI(secret: secret, accountName: user.email, issuer: "ERP (\(organizationName))")
        return respond(Enrollment(secret: Base32.encode(secret, padding: false), otpauthUri: uri), status: .created, headers: [.cacheControl: "no-store"])
    }

    @Sendable func confirm(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<RecoveryCodeList> {
        let identity = try context.requireIdentity()
        let (tenant, userID) = try context.requireUser()
        let input = try await request.decode(as: CodeInput.self, context: context)
        let code = try requireText(input.code, field: "code", maximum: 20).filter { !$0.isWhitespace }
        let client = context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor)
        let box = dependencies.box
        let now = dependencies.now()
        let codes = RecoveryCodes.generate()
        let trace = context.trace
        try await dependencies.inTenant(tenant) { connection in
            let mfa = MFARepository(connection)
            guard let state = try await mfa.totpState(userID), let pending = state.sealedPendingSecret else {
                throw ProblemDetails.conflict(detail: "Start the enrollment first (POST /v1/me/mfa/totp).")
            }
            let secret = try box.open(pending, purpose: MFAVerifier.sealPurpose)
            guard let step = OneTimePassword.validateTOTP(code, secret: secret, time: now, allowedDrift: 1) else { throw AuthError.invalidMFACode }
            try await mfa.enable(userID, step: step)
            try await mfa.replaceRecoveryCodes(tenant: tenant, user: userID, hashes: codes.map(RecoveryCodes.hash))
            guard let user = try await UserRepository(connection).find(userID) else { throw ProblemDetails.notFound() }
            let recorder = ChangeRecorder(connection, tenant: tenant, trace: trace)
            try await recorder.audit(.by(identity, action: .mfaEnabled, client: client, targetType: "user", targetID: userID.description))
            try await recorder.emit(EventType.Auth.mfaEnabled, subject: userID.description, UserSecurityChanged(userId: userID, email: user.email, reason: "totp"))
        }
        return respond(RecoveryCodeList(recoveryCodes: codes), headers: [.cacheControl: "no-store"])
    }

    @Sendable func disable(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let identity = try context.requireIdentity()
        let (tenant, userID) = try context.requireUser()
        let input = try await request.decode(as: PasswordInput.self, context: context)
        let user = try await CurrentPassword(dependencies: dependencies).verify(input.password, tenant: tenant, user: userID)
        let client = context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor)
        let trace = context.trace
        try await dependencies.inTenant(tenant) { connection in
            try await MFARepository(connection).disable(userID)
            let recorder = ChangeRecorder(connection, tenant: tenant, trace: trace)
            try await recorder.audit(.by(identity, action: .mfaDisabled, client: client, targetType: "user", targetID: userID.description))
            try await recorder.emit(EventType.Auth.mfaDisabled, subject: userID.description, UserSecurityChanged(userId: userID, email: user.email, reason: "totp"))
        }
        return .noContent
    }

    @Sendable func regenerate(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<RecoveryCodeList> {
        let identity = try context.requireIdentity()
        let (tenant, userID) = try context.requireUser()
        let input = try await request.decode(as: PasswordInput.self, context: context)
        let user = try await CurrentPassword(dependencies: dependencies).verify(input.password, tenant: tenant, user: userID)
        guard user.mfaEnabled else { throw ProblemDetails.conflict(detail: "Two-factor authentication is off.") }
        let codes = RecoveryCodes.generate()
        let client = context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor)
        let trace = context.trace
        try await dependencies.inTenant(tenant) { connection in
            try await MFARepository(connection).replaceRecoveryCodes(tenant: tenant, user: userID, hashes: codes.map(RecoveryCodes.hash))
            try await ChangeRecorder(connection, tenant: tenant, trace: trace).audit(
                .by(identity, action: .recoveryCodesRegenerated, client: client, targetType: "user", targetID: userID.description)
            )
        }
        return respond(RecoveryCodeList(recoveryCodes: codes), headers: [.cacheControl: "no-store"])
    }
}
