import ERPCrypto
import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// `POST /v1/tokens/refresh` (rotate a refresh token) and `POST /v1/oauth/token` (the
/// client-credentials grant for service accounts, and the API-key grant for integrations).
struct TokenController {
    let dependencies: AuthDependencies

    static let apiKeyGrant = "urn:erp:params:oauth:grant-type:api-key"

    struct RefreshInput: Decodable { var refreshToken: String? }

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.post("/v1/tokens/refresh", use: refresh)
        router.post("/v1/oauth/token", use: token)
    }

    @Sendable func refresh(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<TokenResponse> {
        let input = try await request.decode(as: RefreshInput.self, context: context)
        guard let text = input.refreshToken, !text.isEmpty else { throw ProblemDetails.validation([.required("refreshToken")]) }
        guard let presented = RefreshToken(parsing: text) else { throw AuthError.invalidRefreshToken }
        let client = context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor)
        switch try await dependencies.issuer.refresh(presented, client: client) {
        case .refreshed(let tenant, let userID, let finish):
            let loaded = try await dependencies.inTenant(tenant) { connection -> (User, [Role])? in
                guard let user = try await UserRepository(connection).find(userID), user.isActive else { return nil }
                return (user, try await RoleRepository(connection).roles(of: userID))
            }
            guard let (user, roles) = loaded else {
                try await dependencies.sessions.revoke(presented.sessionID)
                throw AuthError.invalidRefreshToken
            }
            return respond(try await finish(user, roles), headers: [.cacheControl: "no-store"])
        case .reused(let tenant, let userID):
            // Someone replayed a token this family already rotated away from: one of the two
            // holders is not the user. Only this family dies; the user's other sessions live.
            let trace = context.trace
            try await dependencies.inTenant(tenant) { connection in
                let recorder = ChangeRecorder(connection, tenant: tenant, trace: trace)
                try await recorder.audit(
                    AuditEntry(action: .refreshTokenReused, outcome: .failure, actorType: .anonymous, targetType: "session",
                               targetID: presented.sessionID.description, ip: client.ip, userAgent: client.userAgent, details: ["user": userID.description])
                )
                try await recorder.emit(
                    EventType.Auth.sessionRevoked, subject: presented.sessionID.description,
                    SessionRevoked(sessionId: presented.sessionID, userId: userID, reason: "refresh_token_reuse")
                )
            }
            throw AuthError.invalidRefreshToken
        case .invalid:
            throw AuthError.invalidRefreshToken
        }
    }

    @Sendable func token(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<TokenResponse> {
        let form = try await TokenRequestForm.read(request, context: context)
        let client = context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor)
        let response: TokenResponse
        switch form.grantType {
        case "client_credentials":
            response = try await clientCredentials(form, client: client, trace: context.trace)
        case Self.apiKeyGrant:
            response = try await apiKey(form, client: client, trace: context.trace)
        case nil:
            throw ProblemDetails.validation([.required("grant_type")])
        default:
            throw ProblemDetails(code: "unsupported_grant_type", status: 400, title: "Unsupported grant type",
                                 detail: "Use client_credentials or \(Self.apiKeyGrant).")
        }
        return respond(response, headers: [.cacheControl: "no-store"])
    }

    private func clientCredentials(_ form: TokenRequestForm, client: ClientInfo, trace: TraceContext) async throws -> TokenResponse {
        if let clientID = form.clientID, clientID.hasPrefix(PlatformClient.clientIDPrefix) {
            return try await platformClient(clientID, form, client: client, trace: trace)
        }
        guard let clientID = form.clientID, let secret = form.clientSecret, let (tenant, accountID) = ServiceAccount.parse(clientID: clientID) else {
            throw AuthError.invalidClient
        }
        let secretHash = SHA256.hash(Array(secret.utf8))
        let account = try await dependencies.inTenant(tenant) { connection -> ServiceAccount? in
            guard let account = try await ServiceAccountRepository(connection).authenticate(accountID, secretHash: secretHash) else { return nil }
            try await ChangeRecorder(connection, tenant: tenant, trace: trace).audit(
                AuditEntry(action: .serviceAccountTokenIssued, actorType: .service, actorID: accountID.description, targetType: "service_account",
                           targetID: accountID.description, ip: client.ip, userAgent: client.userAgent)
            )
            return account
        }
        guard let account else { throw AuthError.invalidClient }
        let permissions = try narrowed(account.permissions, to: form.scope)
        let token = try await dependencies.tokens.accessToken(
            subject: account.id.description, tenant: tenant, roles: ["service_account"], permissions: permissions, session: nil, kind: .service
        )
        return TokenResponse(accessToken: token, tokenType: "Bearer", expiresIn: dependencies.tokens.lifetime, organizationId: tenant)
    }

    /// A suite service's own client. Without `organization` the token names no tenant (the nil
    /// UUID), so it reads no tenant's rows; with one, it acts inside that organization and the
    /// issue is audited there.
    private func platformClient(_ clientID: String, _ form: TokenRequestForm, client: ClientInfo, trace: TraceContext) async throws -> TokenResponse {
        guard let secret = form.clientSecret,
            let platform = dependencies.configuration.platformClients.first(where: { $0.clientID == clientID }), platform.authenticates(secret)
        else { throw AuthError.invalidClient }
        let permissions = try narrowed(PlatformClient.permissions, to: form.scope)
        var tenant = TenantID.platform
        if let text = form.organization {
            guard let organization = TenantID(string: text) else {
                throw ProblemDetails.validation([.invalid("organization", message: "Use the organization's id (a UUID).")])
            }
            let exists = try await dependencies.inTenant(organization) { connection -> Bool in
                guard try await OrganizationRepository(connection).find(organization) != nil else { return false }
                try await ChangeRecorder(connection, tenant: organization, trace: trace).audit(
                    AuditEntry(action: .serviceAccountTokenIssued, actorType: .service, actorID: clientID, targetType: "platform_client",
                               targetID: clientID, ip: client.ip, userAgent: client.userAgent)
                )
                return true
            }
            guard exists else { throw ProblemDetails.notFound(detail: "No such organization.") }
            tenant = organization
        }
        dependencies.logger.info("platform token issued", metadata: ["erp.client.id": .string(clientID), LogMetadataKey.tenantID: .string(tenant.description)])
        let token = try await dependencies.tokens.accessToken(
            subject: clientID, tenant: tenant, roles: ["platform_service"], permissions: permissions, session: nil, kind: .service
        )
        return TokenResponse(accessToken: token, tokenType: "Bearer", expiresIn: dependencies.tokens.lifetime, organizationId: tenant)
    }

    private func apiKey(_ form: TokenRequestForm, client: ClientInfo, trace: TraceContext) async throws -> TokenResponse {
        guard let text = form.apiKey, let parsed = TenantBoundToken(parsing: text, purpose: .apiKey) else { throw AuthError.invalidClient }
        let tenant = parsed.tenantID
        let key = try await dependencies.inTenant(tenant) { connection -> APIKey? in
            guard let key = try await APIKeyRepository(connection).use(secretHash: parsed.hash) else { return nil }
            try await ChangeRecorder(connection, tenant: tenant, trace: trace).audit(
                AuditEntry(action: .apiKeyUsed, actorType: .apiKey, actorID: key.id.uuidString.lowercased(), targetType: "api_key",
                           targetID: key.id.uuidString.lowercased(), ip: client.ip, userAgent: client.userAgent)
            )
            return key
        }
        guard let key else { throw AuthError.invalidClient }
        let permissions = try narrowed(key.permissions, to: form.scope)
        let token = try await dependencies.tokens.accessToken(
            subject: key.id.uuidString.lowercased(), tenant: tenant, roles: ["api_key"], permissions: permissions, session: nil, kind: .service
        )
        return TokenResponse(accessToken: token, tokenType: "Bearer", expiresIn: dependencies.tokens.lifetime, organizationId: tenant)
    }

    /// The requested `scope` (space-separated permissions), which must lie within `granted`.
    private func narrowed(_ granted: PermissionSet, to scope: String?) throws -> PermissionSet {
        guard let scope, !scope.trimmingCharacters(in: .whitespaces).isEmpty else { return granted }
        let requested = try? PermissionSet(grants: scope.split(separator: " ").map(String.init))
        guard let requested, !requested.grantsEverything, requested.permissions.allSatisfy(granted.contains) else {
            throw ProblemDetails(code: "invalid_scope", status: 400, title: "Invalid scope", detail: "The scope asks for permissions this client does not hold.")
        }
        return requested
    }
}
