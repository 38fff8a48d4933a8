import ERPProtocol
import Foundation
import Testing

@testable import AuthService

@Suite("Auth: sessions and refresh-token rotation")
struct SessionTests {
    func refresh(_ api: AuthClient, _ token: String?) async throws -> (Int, TokenResponse?) {
        let response = try await api.send(.post, "/v1/tokens/refresh", json: ["refreshToken": .text(token)] as JSONBody)
        return (Int(response.status.code), response.status == .ok ? try response.json(TokenResponse.self) : nil)
    }

    @Test("refresh rotates; reusing a rotated token revokes that family only, a second session keeps working")
    func reuseRevokesOneFamily() async throws {
        try await AuthHarness.run(configure: { $0.refreshReuseGrace = 0 }) { harness, api in
            let registered = try await api.register()
            let laptop = try await api.tokens(registered.email)
            let phone = try await api.tokens(registered.email)
            let (status, rotated) = try await refresh(api, laptop.refreshToken)
            #expect(status == 200)
            #expect(rotated?.refreshToken != laptop.refreshToken)
            // The old laptop token comes back: theft. That family dies...
            #expect(try await refresh(api, laptop.refreshToken).0 == 401)
            #expect(try await refresh(api, rotated?.refreshToken).0 == 401)
            #expect(try await api.send(.get, "/v1/me", token: rotated?.accessToken).status == .unauthorized)
            // ...the phone's does not.
            let (phoneStatus, phoneRotated) = try await refresh(api, phone.refreshToken)
            #expect(phoneStatus == 200)
            #expect(try await api.send(.get, "/v1/me", token: phoneRotated?.accessToken).status == .ok)
            let revoked = try await harness.events(EventType.Auth.sessionRevoked, tenant: registered.tenant, as: SessionRevoked.self)
            #expect(revoked.map(\.data.reason) == ["refresh_token_reuse"])
            #expect(revoked.first?.data.sessionId == laptop.sessionId)
        }
    }

    @Test("within the grace window a just-rotated token returns the same successor instead of revoking")
    func graceWindow() async throws {
        try await AuthHarness.run(configure: { $0.refreshReuseGrace = 30 }) { _, api in
            let registered = try await api.register()
            let first = try await refresh(api, registered.tokens.refreshToken)
            let concurrent = try await refresh(api, registered.tokens.refreshToken)
            #expect(first.0 == 200 && concurrent.0 == 200)
            #expect(first.1?.refreshToken == concurrent.1?.refreshToken)
            #expect(try await refresh(api, first.1?.refreshToken).0 == 200)
        }
    }

    @Test("a made-up secret for a known session id is refused without revoking the session")
    func forgedSecret() async throws {
        try await AuthHarness.run { _, api in
            let registered = try await api.register()
            let forged = "\(registered.tokens.sessionId!).\(ERPCryptoBase64.encode([UInt8](repeating: 1, count: 32)))"
            #expect(try await refresh(api, forged).0 == 401)
            #expect(try await refresh(api, registered.tokens.refreshToken).0 == 200)
        }
    }

    @Test("sessions can be listed, revoked one by one, ended by logout, and ended everywhere")
    func manageSessions() async throws {
        try await AuthHarness.run { _, api in
            let registered = try await api.register()
            let second = try await api.tokens(registered.email)
            let third = try await api.tokens(registered.email)
            let list = try await api.send(.get, "/v1/me/sessions", token: registered.token).json(SessionController.SessionList.self)
            #expect(list.items.count == 3)
            #expect(list.items.filter(\.current).map(\.id) == [registered.tokens.sessionId!])
            #expect(try await api.send(.delete, "/v1/me/sessions/\(second.sessionId!)", token: registered.token).status == .noContent)
            #expect(try await api.send(.get, "/v1/me", token: second.accessToken).status == .unauthorized)
            #expect(try await api.send(.post, "/v1/logout", token: third.accessToken).status == .noContent)
            #expect(try await refresh(api, third.refreshToken).0 == 401)
            let fourth = try await api.tokens(registered.email)
            #expect(try await api.send(.delete, "/v1/me/sessions", token: fourth.accessToken).status == .noContent)
            #expect(try await api.send(.get, "/v1/me", token: registered.token).status == .unauthorized)
            #expect(try await refresh(api, fourth.refreshToken).0 == 401)
        }
    }

    @Test("another user's session id is 404")
    func foreignSession() async throws {
        try await AuthHarness.run { _, api in
            let first = try await api.register()
            let second = try await api.register()
            #expect(try await api.send(.delete, "/v1/me/sessions/\(second.tokens.sessionId!)", token: first.token).status == .notFound)
            #expect(try await api.send(.get, "/v1/me", token: second.token).status == .ok)
        }
    }

    @Test("an admin lists and ends another user's sessions; a Manager cannot; other organizations' users are 404")
    func adminManagesSessions() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let email = "mia-\(UUID().uuidString.prefix(6).lowercased())@example.com"
            let member = try await RBACTests().invite(api, harness, by: registered, email: email, roles: ["Manager"])
            let phone = try await api.tokens(email, "Lantern-Orchard-5521-Ember")
            let path = "/v1/users/\(member.user.id)/sessions"
            let listed = try await api.send(.get, path, token: registered.token).json(SessionController.SessionList.self)
            #expect(Set(listed.items.map(\.id)) == Set([member.tokens.sessionId!, phone.sessionId!]))
            #expect(listed.items.allSatisfy { !$0.current })
            // A Manager holds no auth.session.* grant, not even over the owner.
            #expect(try await api.send(.get, "/v1/users/\(registered.user.id)/sessions", token: phone.accessToken).status == .forbidden)

            #expect(try await api.send(.delete, "\(path)/\(phone.sessionId!)", token: registered.token).status == .noContent)
            #expect(try await api.send(.get, "/v1/me", token: phone.accessToken).status == .unauthorized)
            #expect(try await api.send(.get, "/v1/me", token: member.tokens.accessToken).status == .ok)
            #expect(try await api.send(.delete, "\(path)/\(registered.tokens.sessionId!)", token: registered.token).status == .notFound)

            let other = try await api.register()
            #expect(try await api.send(.get, path, token: other.token).status == .notFound)
            #expect(try await api.send(.delete, path, token: other.token).status == .notFound)
            #expect(try await api.send(.get, "/v1/me", token: member.tokens.accessToken).status == .ok)

            #expect(try await api.send(.delete, path, token: registered.token).status == .noContent)
            #expect(try await api.send(.get, "/v1/me", token: member.tokens.accessToken).status == .unauthorized)
            #expect(try await api.send(.get, "/v1/me", token: registered.token).status == .ok)
            let revoked = try await harness.events(EventType.Auth.sessionRevoked, tenant: registered.tenant, as: SessionRevoked.self)
            #expect(revoked.map(\.data.reason) == ["revoked_by_admin", "revoked_by_admin"])
            #expect(Set(revoked.map(\.data.userId)) == [member.user.id])
        }
    }
}
