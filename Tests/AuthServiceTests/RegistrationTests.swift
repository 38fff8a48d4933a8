import ERPProtocol
import Foundation
import Testing

@testable import AuthService

@Suite("Auth: registration and organizations")
struct RegistrationTests {
    @Test("registering creates organization, built-in roles and owner in one transaction, logs in, and emits organization.created")
    func register() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register(name: "Globex Corporation")
            #expect(registered.organization.slug == "globex-corporation")
            #expect(registered.user.roles == ["Owner"])
            #expect(registered.tokens.refreshToken != nil)
            let me = try await api.send(.get, "/v1/me", token: registered.token)
            #expect(me.status == .ok)
            #expect(try me.json(UserResponse.self).email == registered.email)
            #expect(try await harness.count("roles", tenant: registered.tenant) == 5)
            let created = try await harness.events(EventType.Auth.organizationCreated, tenant: registered.tenant, as: OrganizationCreated.self)
            #expect(created.count == 1)
            #expect(created.first?.data.ownerEmail == registered.email)
            #expect(created.first?.data.requestedPlan == "free")
            #expect(try await harness.events(EventType.Auth.userCreated, tenant: registered.tenant, as: UserLifecycleEvent.self).count == 1)
        }
    }

    @Test("a taken slug is a 409 and leaves nothing half-written")
    func duplicateSlug() async throws {
        try await AuthHarness.run { harness, api in
            let slug = "acme-\(UUID().uuidString.prefix(6).lowercased())"
            _ = try await api.register(slug: slug)
            let email = "second-\(UUID().uuidString.prefix(6))@example.com"
            let response = try await api.send(.post, "/v1/organizations", json: [
                "organization": ["name": "Other", "slug": .string(slug)],
                "owner": ["email": .string(email), "password": .string(Registered.password), "name": "Sam"],
            ] as JSONBody)
            #expect(response.status == .conflict)
            #expect(response.problem?.errors?.first?.field == "organization.slug")
            let directory = try await harness.pool.query("SELECT count(*)::int8 FROM login_directory WHERE email_lower = \(email.lowercased())")
            #expect(try directory.first!.decode(Int.self, at: 0) == 0)
        }
    }

    @Test("the password policy is on by default: short, common, decorated-common and email-containing passwords are refused")
    func passwordPolicy() async throws {
        try await AuthHarness.run { _, api in
            let email = "pat.smith@example.com"
            for (password, code) in [("Short1!", "too_short"), ("password1234", "too_common"), ("Sunshine2024!!", "too_common"), ("pat.smith-secure-2024", "contains_email")] {
                let response = try await api.send(.post, "/v1/organizations", json: [
                    "organization": ["name": "Policy Test"],
                    "owner": ["email": .string(email), "password": .string(password), "name": "Pat"],
                ] as JSONBody)
                #expect(response.status == .unprocessableContent, "\(password)")
                #expect(response.problem?.errors?.contains { $0.field == "owner.password" && $0.code == code } == true, "\(password): \(response.text)")
            }
        }
    }

    @Test("organization settings need auth.organization.manage and If-Match; a stale version is 412")
    func settings() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let current = try await api.send(.get, "/v1/organization", token: registered.token)
            #expect(current.headers[.eTag] == "\"1\"")
            let missing = try await api.send(.patch, "/v1/organization", token: registered.token, json: ["name": "Renamed"] as JSONBody)
            #expect(missing.status == .preconditionRequired)
            let updated = try await api.send(.patch, "/v1/organization", token: registered.token, json: ["name": "Renamed", "passwordMinLength": 16] as JSONBody,
                                             headers: [.ifMatch: "\"1\""])
            #expect(updated.status == .ok)
            #expect(try updated.json(OrganizationResponse.self).passwordMinLength == 16)
            let stale = try await api.send(.patch, "/v1/organization", token: registered.token, json: ["name": "Again"] as JSONBody, headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)
            #expect(try await harness.events(EventType.Auth.organizationUpdated, tenant: registered.tenant, as: OrganizationUpdated.self).count == 1)
        }
    }
}
