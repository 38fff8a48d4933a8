import ERPProtocol
import ERPServiceKit
import Foundation
import HTTPTypes
import Testing

@testable import AuthService

@Suite("Auth: users, invitations, roles and tenant isolation")
struct RBACTests {
    /// Invites `email` with `roles` and accepts with the token taken from the outbox event.
    func invite(_ api: AuthClient, _ harness: AuthHarness, by registered: Registered, email: String, roles: [String] = ["User"]) async throws -> InvitationController.AcceptOutput {
        let invited = try await api.send(.post, "/v1/invitations", token: registered.token, json: ["email": .string(email), "roles": .strings(roles)] as JSONBody)
        #expect(invited.status == .created, "\(invited.text)")
        let events = try await harness.events(EventType.Auth.userInvited, tenant: registered.tenant, as: UserInvited.self)
        let token = try #require(events.last { $0.data.email == email }?.data.acceptToken)
        let accepted = try await api.send(.post, "/v1/invitations/accept", json: ["token": .string(token), "name": "Ivy Invitee", "password": "Lantern-Orchard-5521-Ember"] as JSONBody)
        #expect(accepted.status == .created, "\(accepted.text)")
        #expect(try await api.send(.post, "/v1/invitations/accept", json: ["token": .string(token), "name": "Again", "password": "Lantern-Orchard-5521-Ember"] as JSONBody).status == .badRequest)
        return try accepted.json(InvitationController.AcceptOutput.self)
    }

    @Test("invite → accept creates the user with the invited roles; lists, search and deactivation work")
    func invitationFlow() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let email = "ivy-\(UUID().uuidString.prefix(6).lowercased())@example.com"
            let accepted = try await invite(api, harness, by: registered, email: email, roles: ["Manager"])
            #expect(accepted.user.roles == ["Manager"])
            #expect(accepted.user.emailVerified)
            let page = try await api.send(.get, "/v1/users?q=ivy&limit=10", token: registered.token).json(Page<UserResponse>.self)
            #expect(page.items.map(\.email) == [email])
            let all = try await api.send(.get, "/v1/users?limit=1", token: registered.token).json(Page<UserResponse>.self)
            #expect(all.items.count == 1)
            let next = try await api.send(.get, "/v1/users?limit=1&cursor=\(try #require(all.nextCursor).rawValue)", token: registered.token).json(Page<UserResponse>.self)
            #expect(next.items.count == 1 && next.items[0].id != all.items[0].id)
            let deactivated = try await api.send(.post, "/v1/users/\(accepted.user.id)/deactivate", token: registered.token)
            #expect(deactivated.status == .ok)
            #expect(try await api.send(.get, "/v1/me", token: accepted.tokens.accessToken).status == .unauthorized)
            #expect(try await api.login(email, "Lantern-Orchard-5521-Ember").status == .unauthorized)
            #expect(try await harness.events(EventType.Auth.userDeactivated, tenant: registered.tenant, as: UserLifecycleEvent.self).count == 1)
        }
    }

    @Test("built-in roles: a Viewer reads but cannot invite; a Manager cannot grant Owner; custom roles cannot exceed their creator")
    func permissions() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let viewer = try await invite(api, harness, by: registered, email: "viewer-\(UUID().uuidString.prefix(6))@example.com", roles: ["Viewer"])
            #expect(try await api.send(.get, "/v1/users", token: viewer.tokens.accessToken).status == .ok)
            #expect(try await api.send(.post, "/v1/invitations", token: viewer.tokens.accessToken, json: ["email": "x@example.com"] as JSONBody).status == .forbidden)
            let manager = try await invite(api, harness, by: registered, email: "manager-\(UUID().uuidString.prefix(6))@example.com", roles: ["Manager"])
            let escalate = try await api.send(.post, "/v1/invitations", token: manager.tokens.accessToken, json: ["email": "boss@example.com", "roles": ["Owner"]] as JSONBody)
            #expect(escalate.status == .forbidden)

            let role = try await api.send(.post, "/v1/roles", token: registered.token, json: ["name": "Sales rep", "permissions": ["crm.lead.*", "crm.contact.read"]] as JSONBody)
            #expect(role.status == .created)
            let created = try role.json(RoleController.RoleResponse.self)
            #expect(created.permissions.contains("crm.lead.convert"))
            let bad = try await api.send(.post, "/v1/roles", token: registered.token, json: ["name": "Bad", "permissions": ["*", "crm.nothing.read"]] as JSONBody)
            #expect(bad.status == .unprocessableContent)
            let assigned = try await api.send(.put, "/v1/users/\(viewer.user.id)/roles/\(created.id)", token: registered.token)
            #expect(try assigned.json(UserResponse.self).roles == ["Sales rep", "Viewer"])
            let tokens = try await api.tokens(viewer.user.email, "Lantern-Orchard-5521-Ember")
            let claims = try await harness.dependencies.verifier.verify(tokens.accessToken)
            #expect(claims.perms.contains("crm.lead.convert") && claims.perms.contains("crm.company.read") && !claims.perms.contains("crm.company.update"))
            #expect(try await harness.events(EventType.Auth.userRoleChanged, tenant: registered.tenant, as: UserRoleChanged.self).count == 1)
        }
    }

    @Test("the last Owner cannot be removed or deactivated")
    func lastOwner() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let roles = try await api.send(.get, "/v1/roles", token: registered.token).json(RoleController.RoleList.self)
            let owner = try #require(roles.items.first { $0.name == "Owner" })
            let removal = try await api.send(.delete, "/v1/users/\(registered.user.id)/roles/\(owner.id)", token: registered.token)
            #expect(removal.status == .conflict)
            #expect(removal.problem?.code == "last_owner")
            let second = try await invite(api, harness, by: registered, email: "co-owner-\(UUID().uuidString.prefix(6))@example.com", roles: ["Owner"])
            #expect(try await api.send(.delete, "/v1/users/\(registered.user.id)/roles/\(owner.id)", token: second.tokens.accessToken).status == .ok)
            let last = try await api.send(.post, "/v1/users/\(second.user.id)/deactivate", token: second.tokens.accessToken)
            #expect(last.status == .conflict)
        }
    }

    @Test("the user limit from the entitlement source counts open invitations and is enforced (403 plan_limit_exceeded)")
    func userLimit() async throws {
        try await AuthHarness.run(entitlements: StaticEntitlementSource(limits: [.users: 2])) { harness, api in
            let registered = try await api.register()
            #expect(try await api.send(.post, "/v1/invitations", token: registered.token, json: ["email": "one@example.com"] as JSONBody).status == .created)
            let refused = try await api.send(.post, "/v1/invitations", token: registered.token, json: ["email": "two@example.com"] as JSONBody)
            #expect(refused.status == .forbidden)
            #expect(refused.problem?.code == "plan_limit_exceeded")
            #expect(try await harness.count("invitations", tenant: registered.tenant) == 1)
        }
    }

    @Test("a user of one organization never sees or changes another's records: 404")
    func tenantIsolation() async throws {
        try await AuthHarness.run { _, api in
            let a = try await api.register()
            let b = try await api.register()
            #expect(try await api.send(.get, "/v1/users/\(b.user.id)", token: a.token).status == .notFound)
            #expect(try await api.send(.patch, "/v1/users/\(b.user.id)", token: a.token, json: ["name": "Hacked"] as JSONBody, headers: [.ifMatch: "\"1\""]).status == .notFound)
            #expect(try await api.send(.post, "/v1/users/\(b.user.id)/deactivate", token: a.token).status == .notFound)
            let bRoles = try await api.send(.get, "/v1/roles", token: b.token).json(RoleController.RoleList.self)
            #expect(try await api.send(.get, "/v1/roles/\(bRoles.items[0].id)", token: a.token).status == .notFound)
            #expect(try await api.send(.put, "/v1/users/\(a.user.id)/roles/\(bRoles.items[0].id)", token: a.token).status == .notFound)
            let list = try await api.send(.get, "/v1/users", token: a.token).json(Page<UserResponse>.self)
            #expect(list.items.map(\.id) == [a.user.id])
            #expect(try await api.send(.get, "/v1/users/\(b.user.id)", token: b.token).json(UserResponse.self).name == "Olivia Owner")
        }
    }

    @Test("Idempotency-Key: a retried invitation is replayed, not sent twice; secret-bearing POSTs ignore the header")
    func idempotentInvitation() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: UUID().uuidString]
            let body: JSONBody = ["email": "retry@example.com", "roles": .strings(["User"])]
            let first = try await api.send(.post, "/v1/invitations", token: registered.token, json: body, headers: key)
            let retry = try await api.send(.post, "/v1/invitations", token: registered.token, json: body, headers: key)
            #expect(first.status == .created && retry.status == .created)
            #expect(retry.text == first.text)
            #expect(retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(try await harness.count("invitations", tenant: registered.tenant) == 1)
            #expect(try await harness.events(EventType.Auth.userInvited, tenant: registered.tenant, as: UserInvited.self).count == 1)
            // Login answers with fresh tokens every time: nothing of it is kept in Redis.
            let login: JSONBody = ["email": .string(registered.email), "password": .string(Registered.password)]
            let a = try await api.send(.post, "/v1/sessions", json: login, headers: key)
            let b = try await api.send(.post, "/v1/sessions", json: login, headers: key)
            #expect(a.status == .created && b.status == .created)
            #expect(try a.json(TokenResponse.self).refreshToken != b.json(TokenResponse.self).refreshToken)
            #expect(b.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)
        }
    }

    @Test("profiles: a user edits their own; an admin edits others' with If-Match; bad values are 422; each change emits user.updated")
    func profiles() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let own = try await api.send(.patch, "/v1/me", token: registered.token, json: ["name": "Olivia O.", "locale": "de-CH", "timezone": "Europe/Zurich"] as JSONBody)
            #expect(own.status == .ok)
            let me = try await api.send(.get, "/v1/me", token: registered.token).json(UserResponse.self)
            #expect(me.name == "Olivia O." && me.locale == "de-CH" && me.timezone == "Europe/Zurich")
            let bad = try await api.send(.patch, "/v1/me", token: registered.token, json: ["locale": "not a locale", "timezone": "Mars/Olympus"] as JSONBody)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("locale") && bad.text.contains("timezone"))

            let member = try await invite(api, harness, by: registered, email: "pat-\(UUID().uuidString.prefix(6).lowercased())@example.com")
            let path = "/v1/users/\(member.user.id)"
            let current = try await api.send(.get, path, token: registered.token)
            let etag = try #require(current.headers[.eTag])
            #expect(try await api.send(.patch, path, token: registered.token, json: ["name": "Pat"] as JSONBody).status == .preconditionRequired)
            #expect(try await api.send(.patch, path, token: registered.token, json: ["name": "Pat"] as JSONBody, headers: [.ifMatch: etag]).status == .ok)
            #expect(try await api.send(.patch, path, token: registered.token, json: ["name": "Again"] as JSONBody, headers: [.ifMatch: etag]).status == .preconditionFailed)
            #expect(try await api.send(.patch, path, token: member.tokens.accessToken, json: ["name": "Me"] as JSONBody, headers: [.ifMatch: "\"9\""]).status == .forbidden)
            #expect(try await api.send(.get, path, token: registered.token).json(UserResponse.self).name == "Pat")
            let updates = try await harness.events(EventType.Auth.userUpdated, tenant: registered.tenant, as: UserLifecycleEvent.self)
            #expect(updates.map(\.data.name) == ["Olivia O.", "Pat"])
        }
    }
}
