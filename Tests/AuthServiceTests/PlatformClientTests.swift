import AsyncHTTPClient
import ERPProtocol
import ERPServiceKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AuthService

@Suite("Auth: the suite's own platform clients (svc_<service>)")
struct PlatformClientTests {
    static let secret = "platform-secret-for-crm-0123456789abcdef"

    static func grant(_ api: AuthClient, secret: String = secret, organization: String? = nil, scope: String? = nil) async throws -> TestResponse {
        try await api.send(.post, "/v1/oauth/token", json: [
            "grantType": "client_credentials", "clientId": "svc_crm", "clientSecret": .string(secret),
            "organization": .text(organization), "scope": .text(scope),
        ] as JSONBody)
    }

    @Test("AUTH_PLATFORM_CLIENTS is parsed strictly and never echoes a secret")
    func parsing() throws {
        let clients = try PlatformClient.parse(" crm=\(Self.secret), notification=\(Self.secret)x ")
        #expect(clients.map(\.clientID) == ["svc_crm", "svc_notification"])
        #expect(clients[0].authenticates(Self.secret) && !clients[0].authenticates(Self.secret + "x"))
        #expect(try PlatformClient.parse("").isEmpty)
        for bad in ["crm", "bank=\(Self.secret)", "auth=\(Self.secret)", "crm=short", "crm=\(Self.secret),crm=\(Self.secret)"] {
            let error = #expect(throws: PlatformClient.Invalid.self) { try PlatformClient.parse(bad) }
            #expect(error.map { !$0.description.contains(Self.secret) } == true)
        }
    }

    @Test("a platform token names no organization and reads no tenant data until it asks for one; then it acts there, audited")
    func platformToken() async throws {
        try await AuthHarness.run(configure: { $0.platformClients = try! PlatformClient.parse("crm=\(Self.secret)") }) { harness, api in
            let registered = try await api.register()
            #expect(try await Self.grant(api, secret: "wrong-\(Self.secret)").status == .unauthorized)

            let bare = try await Self.grant(api)
            #expect(bare.status == .ok, "\(bare.text)")
            let bareToken = try bare.json(TokenResponse.self)
            let claims = try await harness.dependencies.verifier.verify(bareToken.accessToken)
            #expect(claims.isPlatform && claims.kind == .service && claims.sub == "svc_crm")
            #expect(bareToken.refreshToken == nil)
            let refused = try await api.send(.get, "/v1/users", token: bareToken.accessToken)
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("organization_scope_required"))

            let scoped = try await Self.grant(api, organization: registered.tenant.description, scope: "auth.user.read")
            #expect(scoped.status == .ok)
            let scopedToken = try scoped.json(TokenResponse.self).accessToken
            let users = try await api.send(.get, "/v1/users", token: scopedToken).json(Page<UserResponse>.self)
            #expect(users.items.map(\.id) == [registered.user.id])
            #expect(try await api.send(.post, "/v1/roles", token: scopedToken, json: ["name": "x", "permissions": ["crm.lead.read"]] as JSONBody).status == .forbidden)
            let audit = try await api.send(.get, "/v1/audit-events?action=service_account.token_issued", token: registered.token)
                .json(Page<AuditController.AuditEventResponse>.self)
            #expect(audit.items.map(\.actorId) == ["svc_crm"])

            #expect(try await Self.grant(api, organization: TenantID.random().description).status == .notFound)
            #expect(try await Self.grant(api, organization: "not-a-uuid").status == .unprocessableContent)
            #expect(try await Self.grant(api, scope: "subscription.plan.manage").status == .badRequest)
        }
    }

    @Test("the kit's PlatformTokenProvider gets, caches and scopes tokens from a live erp-auth")
    func provider() async throws {
        try await AuthHarness.run(configure: { $0.platformClients = try! PlatformClient.parse("crm=\(Self.secret)") }, live: true) { harness, api in
            let registered = try await api.register()
            let port = try #require(api.client.port)
            let provider = PlatformTokenProvider(authURL: "http://127.0.0.1:\(port)/", service: .crm, clientSecret: Self.secret, httpClient: .shared)
            let first = try await provider.token()
            #expect(try await provider.token() == first)
            #expect(try await harness.dependencies.verifier.verify(first).isPlatform)
            let inTenant = try await provider.caller(organization: registered.tenant)
            #expect(try await harness.dependencies.verifier.verify(try #require(inTenant.bearerToken)).org == registered.tenant)
            let wrong = PlatformTokenProvider(authURL: "http://127.0.0.1:\(port)", service: .crm, clientSecret: "x" + Self.secret, httpClient: .shared)
            await #expect(throws: PlatformTokenProvider.Failure.self) { try await wrong.token() }
        }
    }
}
