import ERPProtocol
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@testable import AuthService

@Suite("Auth: service accounts, API keys and the audit log")
struct CredentialTests {
    @Test("client credentials give a service token with the account's permissions; secrets rotate with an overlap")
    func serviceAccount() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let created = try await api.send(.post, "/v1/service-accounts", token: registered.token,
                                             json: ["name": "billing-sync", "permissions": ["auth.user.read"]] as JSONBody)
            #expect(created.status == .created)
            let account = try created.json(CredentialController.ServiceAccountCreated.self)
            let form = "grant_type=client_credentials&client_id=\(account.clientId)&client_secret=\(account.clientSecret)"
            let issued = try await api.client.execute(uri: "/v1/oauth/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                       body: ByteBuffer(string: form))
            #expect(issued.status == .ok, "\(issued.text)")
            let token = try issued.json(TokenResponse.self)
            let claims = try await harness.dependencies.verifier.verify(token.accessToken)
            #expect(claims.kind == .service && claims.sub == account.serviceAccount.id.description)
            #expect(try await api.send(.get, "/v1/users", token: token.accessToken).status == .ok)
            #expect(try await api.send(.post, "/v1/invitations", token: token.accessToken, json: ["email": "x@example.com"] as JSONBody).status == .forbidden)
            let wrong = try await api.send(.post, "/v1/oauth/token", json: ["grantType": "client_credentials", "clientId": .string(account.clientId), "clientSecret": "nope"] as JSONBody)
            #expect(wrong.status == .unauthorized)
            let rotated = try await api.send(.post, "/v1/service-accounts/\(account.serviceAccount.id)/secret", token: registered.token)
            let newSecret = try rotated.json(CredentialController.ServiceAccountCreated.self).clientSecret
            for secret in [account.clientSecret, newSecret] {
                let response = try await api.send(.post, "/v1/oauth/token", json: ["grantType": "client_credentials", "clientId": .string(account.clientId), "clientSecret": .string(secret)] as JSONBody)
                #expect(response.status == .ok)
            }
        }
    }

    @Test("API keys are shown once, hashed at rest, exchange for tokens, track last use and stop working when revoked")
    func apiKeys() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let created = try await api.send(.post, "/v1/api-keys", token: registered.token, json: ["name": "Zapier", "permissions": ["crm.*.read"]] as JSONBody)
            #expect(created.status == .created)
            let key = try created.json(CredentialController.APIKeyCreated.self)
            let stored = try await harness.pool.withTenantTransaction(tenant: registered.tenant.uuid) { connection in
                try await connection.query("SELECT secret_hash FROM api_keys").first!.decode([UInt8].self, at: 0)
            }
            #expect(stored != Array(key.key.utf8))
            let exchange = try await api.send(.post, "/v1/oauth/token", json: ["grantType": .string(TokenController.apiKeyGrant), "apiKey": .string(key.key)] as JSONBody)
            #expect(exchange.status == .ok)
            let claims = try await harness.dependencies.verifier.verify(try exchange.json(TokenResponse.self).accessToken)
            #expect(claims.perms.contains("crm.lead.read") && !claims.perms.contains("crm.lead.update"))
            let listed = try await api.send(.get, "/v1/api-keys", token: registered.token).json(CredentialController.Items<CredentialController.APIKeyResponse>.self)
            #expect(listed.items.first?.lastUsedAt != nil)
            #expect(try await api.send(.delete, "/v1/api-keys/\(key.apiKey.id)", token: registered.token).status == .noContent)
            let after = try await api.send(.post, "/v1/oauth/token", json: ["grantType": .string(TokenController.apiKeyGrant), "apiKey": .string(key.key)] as JSONBody)
            #expect(after.status == .unauthorized)
        }
    }

    @Test("the audit log records security actions, filters and paginates, and refuses to be edited")
    func audit() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            _ = try await api.login(registered.email, "wrong-password-xyz")
            _ = try await api.tokens(registered.email)
            _ = try await api.send(.post, "/v1/api-keys", token: registered.token, json: ["name": "k", "permissions": ["crm.lead.read"]] as JSONBody)
            let all = try await api.send(.get, "/v1/audit-events?limit=2", token: registered.token).json(Page<AuditController.AuditEventResponse>.self)
            #expect(all.items.count == 2)
            #expect(all.items[0].action == "api_key.created")
            let rest = try await api.send(.get, "/v1/audit-events?limit=50&cursor=\(try #require(all.nextCursor).rawValue)", token: registered.token)
                .json(Page<AuditController.AuditEventResponse>.self)
            let actions = Set((all.items + rest.items).map(\.action))
            #expect(actions.isSuperset(of: ["organization.created", "user.created", "login.failed", "login.succeeded", "api_key.created"]))
            let failures = try await api.send(.get, "/v1/audit-events?outcome=failure", token: registered.token).json(Page<AuditController.AuditEventResponse>.self)
            #expect(failures.items.map(\.action) == ["login.failed"])
            #expect(failures.items.first?.ip == api.ip)
            await #expect(throws: (any Error).self) {
                try await harness.pool.withTenantTransaction(tenant: registered.tenant.uuid) { connection in
                    try await connection.execute("DELETE FROM audit_log")
                }
            }
            #expect(try await harness.count("audit_log", tenant: registered.tenant) >= 5)
        }
    }
}
