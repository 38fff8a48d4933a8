import ERPCrypto
import ERPProtocol
import ERPServiceKit
import Foundation

/// Checks second factors: TOTP codes (RFC 6238, ±1 step of clock skew, each step accepted once)
/// and single-use recovery codes.
struct MFAVerifier {
    let dependencies: AuthDependencies

    static let sealPurpose = "erp-auth.totp-secret"

    /// Whether the login's second factor is good; consumes what it used.
    func verifyLogin(user: User, totpCode: String?, recoveryCode: String?, client: ClientInfo, trace: TraceContext) async throws -> Bool {
        let box = dependencies.box
        let now = dependencies.now()
        return try await dependencies.inTenant(user.tenantID) { connection in
            let mfa = MFARepository(connection)
            guard let state = try await mfa.totpState(user.id), state.enabledAt != nil, let sealed = state.sealedSecret else { return false }
            if let totpCode {
                let (secret, resealed) = try box.openReportingRotation(sealed, purpose: Self.sealPurpose)
                if let resealed { try await mfa.resealSecret(user.id, sealed: resealed) }
                let code = totpCode.filter { !$0.isWhitespace }
                guard let step = OneTimePassword.validateTOTP(code, secret: secret, time: now, allowedDrift: 1),
                    step > (state.lastStep ?? -1)
                else { return false }
                try await mfa.recordStep(user.id, step: step)
                return true
            }
            if let recoveryCode {
                guard try await mfa.consumeRecoveryCode(user.id, hash: RecoveryCodes.hash(recoveryCode)) else { return false }
                try await ChangeRecorder(connection, tenant: user.tenantID, trace: trace).audit(
                    AuditEntry(action: .recoveryCodeUsed, actorType: .user, actorID: user.id.description, targetType: "user",
                               targetID: user.id.description, ip: client.ip, userAgent: client.userAgent)
                )
                return true
            }
            return false
        }
    }
}
