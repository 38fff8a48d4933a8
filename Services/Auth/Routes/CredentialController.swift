import ERPCrypto
import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Service accounts (client id + secret for the client-credentials grant) and API keys for
/// integrations. Secrets are shown once, at creation or rotation; only hashes are kept.
struct CredentialController {
    let dependencies: AuthDependencies

    struct ServiceAccountInput: Decodable {
        var name: String?
        var description: String?
        var permissions: [String]?
    }

    struct ServiceAccountResponse: ResponseCodable {
        var id: ServiceAccountID
        var clientId: String
        var name: String
        var description: String
        var permissions: PermissionSet
        var createdAt: Date
        var secretRotatedAt: Date
        var lastUsedAt: Date?

        init(_ account: ServiceAccount) {
            id = account.id
            clientId = account.clientID
            name = account.name
            description = account.description
            permissions = account.permissions
            createdAt = account.createdAt
            secretRotatedAt = account.secretRotatedAt
            lastUsedAt = account.lastUsedAt
        }
    }

    struct ServiceAccountCreated: ResponseCodable {
        var serviceAccount: ServiceAccountResponse
        var clientId: String
        /// Shown once.
        var clientSecret: String
    }

    struct APIKeyInput: Decodable {
        var name: String?
        var permissions: [String]?
        var expiresAt: Date?
    }

    struct APIKeyResponse: ResponseCodable {
        var id: UUID
        var name: String
        var prefix: String
        var permissions: PermissionSet
        var createdBy: UserID?
        var createdAt: Date
        var expiresAt: Date?
        var revokedAt: Date?
        var lastUsedAt: Date?

        init(_ key: APIKey) {
            id = key.id
            name = key.name
            prefix = key.displayPrefix
            permissions = key.permissions
            createdBy = key.createdBy
            createdAt = key.createdAt
            expiresAt = key.expiresAt
            revokedAt = key.revokedAt
            lastUsedAt = key.lastUsedAt
        }
    }

    struct APIKeyCreated: ResponseCodable {
        var apiKey: APIKeyResponse
        /// Shown once.
        var key: String
    }

    struct Items<Item: Codable & Sendable>: ResponseCodable { var items: [Item] }

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/service-accounts", use: listAccounts)
        router.post("/v1/service-accounts", use: createAccount)
        router.delete("/v1/service-accounts/:id", use: deleteAccount)
        router.post("/v1/service-accounts/:id/secret", use: rotateSecret)
        router.get("/v1/api-keys", use: listKeys)
        router.post("/v1/api-keys", use: createKey)
        router.delete("/v1/api-keys/:id", use: revokeKey)
    }

    @Sendable func listAccounts(_ request: Request, context: ERPRequestContext) async throws -> Items<ServiceAccountResponse> {
        let tenant = try context.require("auth.service_account.read").tenantID
        return Items(items: try await dependencies.inTenant(tenant) { try await ServiceAccountRepository($0).all() }.map(ServiceAccountResponse.init))
    }

    @Sendable func createAccount(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<ServiceAccountCreated> {
        let identity = try context.require("auth.service_account.manage")
        let input = try await request.decode(as: ServiceAccountInput.self, context: context)
        let name = try requireText(input.name, field: "name", maximum: 100)
        let permissions = try GrantCheck.parse(input.permissions)
        try GrantCheck.ensure(identity, canGrant: permissions)
        let tenant = identity.tenantID
        let now = Date()
        let account = ServiceAccount(id: .random(), tenantID: tenant, name: name, description: input.description ?? "", permissions: permissions,
                                     createdAt: now, secretRotatedAt: now, lastUsedAt: nil)
        let secret = TenantBoundToken(purpose: .clientSecret, tenant: tenant).value
        try await dependencies.change(by: identity, request, context) { connection, recorder, client in
            try await ServiceAccountRepository(connection).insert(account, secretHash: SHA256.hash(Array(secret.utf8)), createdBy: identity.userID)
            try await recorder.audit(.by(identity, action: .serviceAccountCreated, client: client, targetType: "service_account", targetID: account.id.description))
            try await recorder.emit(EventType.Auth.serviceAccountCreated, subject: account.id.description,
                                    CredentialChanged(id: account.id.description, name: name, permissions: permissions.grants, changedBy: identity.subject))
        }
        return respond(ServiceAccountCreated(serviceAccount: .init(account), clientId: account.clientID, clientSecret: secret),
                       status: .created, headers: [.cacheControl: "no-store"])
    }

    @Sendable func rotateSecret(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<ServiceAccountCreated> {
        let identity = try context.require("auth.service_account.rotate")
        let id = ServiceAccountID(try request.uuidParameter("id", context: context))
        let secret = TenantBoundToken(purpose: .clientSecret, tenant: identity.tenantID).value
        let overlap = Date().addingTimeInterval(TimeInterval(dependencies.configuration.serviceAccountSecretOverlap))
        let account = try await dependencies.change(by: identity, request, context) { connection, recorder, client -> ServiceAccount in
            guard let account = try await ServiceAccountRepository(connection).rotate(id, secretHash: SHA256.hash(Array(secret.utf8)), previousValidUntil: overlap) else {
                throw ProblemDetails.notFound()
            }
            try await recorder.audit(.by(identity, action: .serviceAccountSecretRotated, client: client, targetType: "service_account", targetID: id.description))
            try await recorder.emit(EventType.Auth.serviceAccountSecretRotated, subject: id.description,
                                    CredentialChanged(id: id.description, name: account.name, permissions: account.permissions.grants, changedBy: identity.subject))
            return account
        }
        return respond(ServiceAccountCreated(serviceAccount: .init(account), clientId: account.clientID, clientSecret: secret), headers: [.cacheControl: "no-store"])
    }

    @Sendable func deleteAccount(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let identity = try context.require("auth.service_account.manage")
        let id = ServiceAccountID(try request.uuidParameter("id", context: context))
        try await dependencies.change(by: identity, request, context) { connection, recorder, client in
            let accounts = ServiceAccountRepository(connection)
            guard let account = try await accounts.find(id), try await accounts.delete(id) else { throw ProblemDetails.notFound() }
            try await recorder.audit(.by(identity, action: .serviceAccountDeleted, client: client, targetType: "service_account", targetID: id.description))
            try await recorder.emit(EventType.Auth.serviceAccountDeleted, subject: id.description,
                                    CredentialChanged(id: id.description, name: account.name, permissions: [], changedBy: identity.subject))
        }
        return .noContent
    }

    @Sendable func listKeys(_ request: Request, context: ERPRequestContext) async throws -> Items<APIKeyResponse> {
        let tenant = try context.require("auth.api_key.read").tenantID
        return Items(items: try await dependencies.inTenant(tenant) { try await APIKeyRepository($0).all() }.map(APIKeyResponse.init))
    }

    @Sendable func createKey(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<APIKeyCreated> {
        let identity = try context.require("auth.api_key.manage")
        let input = try await request.decode(as: APIKeyInput.self, context: context)
        let name = try requireText(input.name, field: "name", maximum: 100)
        let permissions = try GrantCheck.parse(input.permissions)
        try GrantCheck.ensure(identity, canGrant: permissions)
        if let expiresAt = input.expiresAt, expiresAt <= Date() {
            throw ProblemDetails.validation([.invalid("expiresAt", message: "Choose a time in the future.")])
        }
        let token = TenantBoundToken(purpose: .apiKey, tenant: identity.tenantID)
        let key = APIKey(id: UUID(), name: name, displayPrefix: String(token.value.prefix(12)), permissions: permissions, createdBy: identity.userID,
                         createdAt: Date(), expiresAt: input.expiresAt, revokedAt: nil, lastUsedAt: nil)
        try await dependencies.change(by: identity, request, context) { connection, recorder, client in
            try await APIKeyRepository(connection).insert(tenant: identity.tenantID, key, secretHash: token.hash)
            try await recorder.audit(.by(identity, action: .apiKeyCreated, client: client, targetType: "api_key", targetID: key.id.uuidString.lowercased(),
                                         details: ["name": name]))
            try await recorder.emit(EventType.Auth.apiKeyCreated, subject: key.id.uuidString.lowercased(),
                                    CredentialChanged(id: key.id.uuidString.lowercased(), name: name, permissions: permissions.grants, changedBy: identity.subject))
        }
        return respond(APIKeyCreated(apiKey: .init(key), key: token.value), status: .created, headers: [.cacheControl: "no-store"])
    }

    @Sendable func revokeKey(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let identity = try context.require("auth.api_key.revoke")
        let id = try request.uuidParameter("id", context: context)
        try await dependencies.change(by: identity, request, context) { connection, recorder, client in
            guard let key = try await APIKeyRepository(connection).revoke(id) else { throw ProblemDetails.notFound() }
            try await recorder.audit(.by(identity, action: .apiKeyRevoked, client: client, targetType: "api_key", targetID: id.uuidString.lowercased()))
            try await recorder.emit(EventType.Auth.apiKeyRevoked, subject: id.uuidString.lowercased(),
                                    CredentialChanged(id: id.uuidString.lowercased(), name: key.name, permissions: key.permissions.grants, changedBy: identity.subject))
        }
        return .noContent
    }
}
