import ERPCrypto
import ERPProtocol
import Foundation
import Synchronization
import Testing

@testable import AuthService

@Suite("Auth: TOTP second factor and recovery codes")
struct MFATests {
    /// A clock the test moves, so codes are checked at exact time steps.
    final class TestClock: Sendable {
        let time = Mutex(Date(timeIntervalSince1970: 1_900_000_005))
        var now: Date { time.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { time.withLock { $0.addTimeInterval(seconds) } }
    }

    @Test("enroll, confirm, then login needs the code; ±1 step of skew is accepted, ±2 and replays are not; recovery codes are single use")
    func totpFlow() async throws {
        let clock = TestClock()
        try await AuthHarness.run(configure: { $0.throttle.delayAfter = 100 }, now: { clock.now }) { harness, api in
            let registered = try await api.register()
            let enrollment = try await api.send(.post, "/v1/me/mfa/totp", token: registered.token, json: ["password": .string(Registered.password)] as JSONBody)
            #expect(enrollment.status == .created)
            let enrolled = try enrollment.json(MFAController.Enrollment.self)
            #expect(enrolled.otpauthUri.hasPrefix("otpauth://totp/"))
            let secret = try #require(Base32.decode(enrolled.secret))
            func code(_ offset: TimeInterval) -> String { OneTimePassword.totp(secret: secret, time: clock.now.addingTimeInterval(offset)) }

            #expect(try await api.send(.post, "/v1/me/mfa/totp/confirm", token: registered.token, json: ["code": "000000"] as JSONBody).status == .unauthorized)
            let confirmed = try await api.send(.post, "/v1/me/mfa/totp/confirm", token: registered.token, json: ["code": .string(code(0))] as JSONBody)
            #expect(confirmed.status == .ok)
            let recovery = try confirmed.json(MFAController.RecoveryCodeList.self).recoveryCodes
            #expect(recovery.count == 10)

            let noCode = try await api.login(registered.email)
            #expect(noCode.status == .unauthorized)
            #expect(noCode.problem?.code == "mfa_required")
            // The enrollment code's step is spent: the same code cannot log in.
            #expect(try await api.login(registered.email, totp: code(0)).problem?.code == "invalid_mfa_code")
            clock.advance(60)
            #expect(try await api.login(registered.email, totp: code(-30)).status == .created)  // one step behind
            clock.advance(60)
            #expect(try await api.login(registered.email, totp: code(30)).status == .created)  // one step ahead
            clock.advance(120)
            #expect(try await api.login(registered.email, totp: code(-60)).status == .unauthorized)  // two behind
            #expect(try await api.login(registered.email, totp: code(60)).status == .unauthorized)  // two ahead
            let current = code(0)
            #expect(try await api.login(registered.email, totp: current).status == .created)
            #expect(try await api.login(registered.email, totp: current).status == .unauthorized)  // replay

            #expect(try await api.login(registered.email, recovery: recovery[0].uppercased()).status == .created)
            #expect(try await api.login(registered.email, recovery: recovery[0]).status == .unauthorized)

            #expect(try await api.send(.post, "/v1/me/mfa/totp/disable", token: registered.token, json: ["password": "wrong-password-here"] as JSONBody).status == .forbidden)
            #expect(try await api.send(.post, "/v1/me/mfa/totp/disable", token: registered.token, json: ["password": .string(Registered.password)] as JSONBody).status == .noContent)
            #expect(try await api.login(registered.email).status == .created)
            #expect(try await harness.events(EventType.Auth.mfaEnabled, tenant: registered.tenant, as: UserSecurityChanged.self).count == 1)
            #expect(try await harness.events(EventType.Auth.mfaDisabled, tenant: registered.tenant, as: UserSecurityChanged.self).count == 1)
        }
    }
}
