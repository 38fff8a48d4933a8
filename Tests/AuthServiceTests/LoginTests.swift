import ERPProtocol
import Foundation
import HTTPTypes
import Testing

@testable import AuthService

@Suite("Auth: login and brute-force protection")
struct LoginTests {
    @Test("login issues an EdDSA access token with the documented claims and an opaque refresh token")
    func login() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let tokens = try await api.tokens(registered.email)
            let claims = try await harness.dependencies.verifier.verify(tokens.accessToken)
            #expect(claims.sub == registered.user.id.description)
            #expect(claims.org == registered.tenant)
            #expect(claims.roles == ["Owner"])
            #expect(claims.perms == .owner)
            #expect(claims.iss == "erp-auth")
            #expect(claims.aud.contains("erp"))
            #expect(claims.sid == tokens.sessionId)
            #expect(claims.exp.timeIntervalSince(claims.iat) == 900)
            #expect(!claims.jti.isEmpty)
            let header = try #require(tokens.accessToken.split(separator: ".").first)
            let headerJSON = String(decoding: try #require(ERPCryptoBase64.decode(header)), as: UTF8.self)
            #expect(headerJSON.contains("\"alg\":\"EdDSA\"") && headerJSON.contains("\"kid\""))
        }
    }

    @Test("a wrong password and an unknown email get the same 401, and failures are audited")
    func wrongPassword() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let wrong = try await api.login(registered.email, "Not-The-Password-123")
            let unknown = try await api.login("nobody-\(UUID())@example.com", "Not-The-Password-123")
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.problem?.code == "invalid_credentials")
            #expect(unknown.problem?.code == wrong.problem?.code)
            #expect(unknown.problem?.detail == wrong.problem?.detail)
            let audit = try await api.send(.get, "/v1/audit-events?action=login.failed", token: registered.token)
            #expect(try audit.json(Page<AuditController.AuditEventResponse>.self).items.count == 1)
        }
    }

    @Test("N failures lock the account (423 + Retry-After + account.locked event), and the lock lifts after its window")
    func lockout() async throws {
        try await AuthHarness.run(configure: {
            $0.throttle.delayAfter = 100
            $0.throttle.lockAfter = 3
            $0.throttle.lockDuration = 2
        }) { harness, api in
            let registered = try await api.register()
            #expect(try await api.login(registered.email, "wrong-password-1").status == .unauthorized)
            #expect(try await api.login(registered.email, "wrong-password-2").status == .unauthorized)
            let third = try await api.login(registered.email, "wrong-password-3")
            #expect(third.status == HTTPResponse.Status(code: 423))
            #expect(third.headers[.retryAfter] != nil)
            // Even the right password is refused while locked.
            let locked = try await api.login(registered.email)
            #expect(locked.status == HTTPResponse.Status(code: 423))
            #expect(locked.problem?.code == "account_locked")
            #expect(try await harness.events(EventType.Auth.accountLocked, tenant: registered.tenant, as: AccountLocked.self).count == 1)
            try await Task.sleep(for: .milliseconds(2300))
            #expect(try await api.login(registered.email).status == .created)
        }
    }

    @Test("after a few failures the next attempt must wait (429 with Retry-After)")
    func progressiveDelay() async throws {
        try await AuthHarness.run(configure: {
            $0.throttle.delayAfter = 2
            $0.throttle.baseDelayMilliseconds = 60_000
            $0.throttle.maximumDelayMilliseconds = 120_000
        }) { _, api in
            let registered = try await api.register()
            _ = try await api.login(registered.email, "wrong-password-1")
            _ = try await api.login(registered.email, "wrong-password-2")
            let throttled = try await api.login(registered.email)
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.problem?.code == "login_throttled")
            #expect(Int(throttled.headers[.retryAfter] ?? "") ?? 0 >= 50)
        }
    }

    @Test("one IP failing against many accounts is refused (429) once it reaches the IP limit")
    func ipLimit() async throws {
        try await AuthHarness.run(configure: { $0.throttle.ipLockAfter = 4 }) { _, api in
            for index in 0..<4 {
                _ = try await api.login("spray-\(index)-\(UUID())@example.com", "Guess-Password-99")
            }
            let refused = try await api.login("another-\(UUID())@example.com", "Guess-Password-99")
            #expect(refused.status == .tooManyRequests)
            var other = api
            other.ip = "192.0.2.\(Int.random(in: 1...200))-\(UUID().uuidString.prefix(6))"
            #expect(try await other.login("another-\(UUID())@example.com", "Guess-Password-99").status == .unauthorized)
        }
    }

    @Test("an email in two organizations needs the organization slug")
    func organizationRequired() async throws {
        try await AuthHarness.run { _, api in
            let email = "shared-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let first = try await api.register(email: email)
            _ = try await api.register(email: email)
            let ambiguous = try await api.login(email)
            #expect(ambiguous.status == .unprocessableContent)
            #expect(ambiguous.problem?.code == "organization_required")
            let chosen = try await api.login(email, organization: first.organization.slug)
            #expect(chosen.status == .created)
            #expect(try chosen.json(TokenResponse.self).organizationId == first.tenant)
        }
    }

    @Test("a hash made with weaker parameters is replaced on the next successful login")
    func hashUpgrade() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let weaker = PasswordHashing(logN: 8, threads: 1)
            let oldHash = try await weaker.hash(Registered.password)
            weaker.shutdown()
            func storedHash() async throws -> String {
                try await harness.pool.withTenantTransaction(tenant: registered.tenant.uuid) { connection in
                    try await connection.query("SELECT password_hash FROM users WHERE id = \(registered.user.id.uuid)").first!.decode(String.self, at: 0)
                }
            }
            try await harness.pool.withTenantTransaction(tenant: registered.tenant.uuid) { connection in
                try await connection.execute("UPDATE users SET password_hash = \(oldHash) WHERE id = \(registered.user.id.uuid)")
            }
            #expect(harness.dependencies.hashing.needsRehash(try await storedHash()))
            _ = try await api.tokens(registered.email)
            let upgraded = try await storedHash()
            #expect(upgraded != oldHash)
            #expect(!harness.dependencies.hashing.needsRehash(upgraded))
            _ = try await api.tokens(registered.email)
        }
    }
}
