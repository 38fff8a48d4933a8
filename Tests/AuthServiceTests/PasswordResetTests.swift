import ERPProtocol
import Foundation
import Testing

@testable import AuthService

@Suite("Auth: password reset and change")
struct PasswordResetTests {
    @Test("reset answers the same for unknown emails; the token is single use, sets the password and ends every session")
    func reset() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let other = try await api.tokens(registered.email)
            let known = try await api.send(.post, "/v1/password-reset", json: ["email": .string(registered.email)] as JSONBody)
            let unknown = try await api.send(.post, "/v1/password-reset", json: ["email": .string("ghost-\(UUID())@example.com")] as JSONBody)
            #expect(known.status == .accepted && unknown.status == .accepted)
            #expect(known.text == unknown.text)
            let requested = try await harness.events(EventType.Auth.passwordResetRequested, tenant: registered.tenant, as: UserTokenIssued.self)
            let token = try #require(requested.first?.data.token)
            #expect(requested.first?.data.url.contains(token) == true)

            let weak = try await api.send(.post, "/v1/password-reset/confirm", json: ["token": .string(token), "password": "password"] as JSONBody)
            #expect(weak.status == .unprocessableContent)
            let newPassword = "Marmalade-Bicycle-4420-Fjord"
            #expect(try await api.send(.post, "/v1/password-reset/confirm", json: ["token": .string(token), "password": .string(newPassword)] as JSONBody).status == .noContent)
            let again = try await api.send(.post, "/v1/password-reset/confirm", json: ["token": .string(token), "password": "Another-Strong-Pass-9981"] as JSONBody)
            #expect(again.status == .badRequest)
            #expect(again.problem?.code == "invalid_token")
            #expect(try await api.send(.get, "/v1/me", token: other.accessToken).status == .unauthorized)
            #expect(try await api.login(registered.email).status == .unauthorized)
            #expect(try await api.login(registered.email, newPassword).status == .created)
        }
    }

    @Test("changing the password needs the current one and keeps only this session")
    func change() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let other = try await api.tokens(registered.email)
            let wrong = try await api.send(.post, "/v1/me/password", token: registered.token,
                                           json: ["currentPassword": "nope-nope-nope", "newPassword": "Saffron-Kettle-9032-Opal"] as JSONBody)
            #expect(wrong.status == .forbidden)
            let ok = try await api.send(.post, "/v1/me/password", token: registered.token,
                                        json: ["currentPassword": .string(Registered.password), "newPassword": "Saffron-Kettle-9032-Opal"] as JSONBody)
            #expect(ok.status == .noContent)
            #expect(try await api.send(.get, "/v1/me", token: registered.token).status == .ok)
            #expect(try await api.send(.get, "/v1/me", token: other.accessToken).status == .unauthorized)
            #expect(try await api.login(registered.email, "Saffron-Kettle-9032-Opal").status == .created)
            #expect(try await harness.events(EventType.Auth.passwordChanged, tenant: registered.tenant, as: UserSecurityChanged.self).count == 1)
        }
    }

    @Test("email verification: the mailed token verifies once")
    func verifyEmail() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            #expect(registered.user.emailVerified == false)
            let issued = try await harness.events(EventType.Auth.emailVerificationRequested, tenant: registered.tenant, as: UserTokenIssued.self)
            let token = try #require(issued.first?.data.token)
            #expect(try await api.send(.post, "/v1/email-verification/confirm", json: ["token": .string(token)] as JSONBody).status == .noContent)
            #expect(try await api.send(.post, "/v1/email-verification/confirm", json: ["token": .string(token)] as JSONBody).status == .badRequest)
            #expect(try await api.send(.get, "/v1/me", token: registered.token).json(UserResponse.self).emailVerified)
        }
    }
}
