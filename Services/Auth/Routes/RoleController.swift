import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// The permission catalogue, roles (built-in and custom) and their assignment to users.
struct RoleController {
    let dependencies: AuthDependencies

    struct RoleInput: Decodable {
        var name: String?
        var description: String?
        var permissions: [String]?
    }

    struct RoleResponse: ResponseCodable {
        var id: RoleID
        var name: String
        var description: String
        var builtIn: Bool
        var permissions: PermissionSet
        var version: Int
        var createdAt: Date
        var updatedAt: Date

        init(_ role: Role) {
            id = role.id
            name = role.name
            description = role.description
            builtIn = role.builtIn != nil
            permissions = role.permissions
            version = role.version
            createdAt = role.createdAt
            updatedAt = role.updatedAt
        }
    }

    struct RoleList: ResponseCodable { var items: [RoleResponse] }
    struct Catalogue: ResponseCodable { var items: [PermissionCatalogue.Entry] }

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/permissions", use: catalogue)
        router.get("/v1/roles", use: list)
        router.post("/v1/roles", use: create)
        router.get("/v1/roles/:id", use: show)
        router.patch("/v1/roles/:id", use: update)
        router.delete("/v1/roles/:id", use: delete)
        router.put("/v1/users/:id/roles/:roleId", use: assign)
        router.delete("/v1/users/:id/roles/:roleId", use: unassign)
    }

    @Sendable func catalogue(_ request: Request, context: ERPRequestContext) async throws -> Catalogue {
        _ = try context.requireIdentity()
        return Catalogue(items: PermissionCatalogue.all)
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> RoleList {
        let tenant = try context.require("auth.role.read").tenantID
        return RoleList(items: try await dependencies.inTenant(tenant) { try await RoleRepository($0).all() }.map(RoleResponse.init))
    }

    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<RoleResponse> {
        let tenant = try context.require("auth.role.read").tenantID
        let id = RoleID(try request.uuidParameter("id", context: context))
        guard let role = try await dependencies.inTenant(tenant, { try await RoleRepository($0).find(id) }) else { throw ProblemDetails.notFound() }
        return respond(RoleResponse(role), headers: .etag(role.version))
    }

    @Sendable func create(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<RoleResponse> {
        let identity = try context.require("auth.role.manage")
        let input = try await request.decode(as: RoleInput.self, context: context)
        let name = try requireText(input.name, field: "name", maximum: 100)
        let permissions = try GrantCheck.parse(input.permissions)
        try GrantCheck.ensure(identity, canGrant: permissions)
        let now = Date()
        let role = Role(id: .random(), name: name, description: input.description ?? "", builtIn: nil, storedPermissions: permissions,
                        version: 1, createdAt: now, updatedAt: now)
        try await dependencies.change(by: identity, request, context) { connection, recorder, client in
            do {
                try await RoleRepository(connection).insert(tenant: identity.tenantID, role)
            } catch let error as PostgresError where error.code == .uniqueViolation {
                throw Self.nameTaken
            }
            try await recorder.audit(.by(identity, action: .roleCreated, client: client, targetType: "role", targetID: role.id.description, details: ["name": name]))
            try await recorder.emit(EventType.Auth.roleCreated, subject: role.id.description,
                                    CredentialChanged(id: role.id.description, name: name, permissions: permissions.grants, changedBy: identity.subject))
        }
        return respond(RoleResponse(role), status: .created, headers: .etag(role.version))
    }

    @Sendable func update(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<RoleResponse> {
        let identity = try context.require("auth.role.manage")
        let id = RoleID(try request.uuidParameter("id", context: context))
        let version = try request.requiredVersion()
        let input = try await request.decode(as: RoleInput.self, context: context)
        let name = try input.name.map { try requireText($0, field: "name", maximum: 100) }
        let permissions = try input.permissions.map { try GrantCheck.parse($0) }
        if let permissions { try GrantCheck.ensure(identity, canGrant: permissions) }
        let saved = try await dependencies.change(by: identity, request, context) { connection, recorder, client -> Role in
            let roles = RoleRepository(connection)
            guard var role = try await roles.find(id) else { throw ProblemDetails.notFound() }
            guard role.builtIn == nil else { throw ProblemDetails.conflict(detail: "Built-in roles cannot be changed; create a custom role.") }
            guard role.version == version else { throw ProblemDetails.preconditionFailed(detail: "The role changed since you read it.") }
            try GrantCheck.ensure(identity, canGrant: role.permissions)
            if let name { role.name = name }
            if let description = input.description { role.description = description }
            if let permissions { role.storedPermissions = permissions }
            let saved: Role
            do {
                saved = try await roles.update(role)
            } catch let error as PostgresError where error.code == .uniqueViolation {
                throw Self.nameTaken
            }
            try await recorder.audit(.by(identity, action: .roleUpdated, client: client, targetType: "role", targetID: id.description))
            try await recorder.emit(EventType.Auth.roleUpdated, subject: id.description,
                                    CredentialChanged(id: id.description, name: saved.name, permissions: saved.permissions.grants, changedBy: identity.subject))
            return saved
        }
        return respond(RoleResponse(saved), headers: .etag(saved.version))
    }

    @Sendable func delete(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let identity = try context.require("auth.role.manage")
        let id = RoleID(try request.uuidParameter("id", context: context))
        try await dependencies.change(by: identity, request, context) { connection, recorder, client in
            let roles = RoleRepository(connection)
            guard let role = try await roles.find(id) else { throw ProblemDetails.notFound() }
            guard role.builtIn == nil else { throw ProblemDetails.conflict(detail: "Built-in roles cannot be deleted.") }
            try GrantCheck.ensure(identity, canGrant: role.permissions)
            try await roles.delete(id)
            try await recorder.audit(.by(identity, action: .roleDeleted, client: client, targetType: "role", targetID: id.description, details: ["name": role.name]))
            try await recorder.emit(EventType.Auth.roleDeleted, subject: id.description,
                                    CredentialChanged(id: id.description, name: role.name, permissions: [], changedBy: identity.subject))
        }
        return .noContent
    }

    @Sendable func assign(_ request: Request, context: ERPRequestContext) async throws -> UserResponse {
        try await changeAssignment(request: request, context: context, add: true)
    }

    @Sendable func unassign(_ request: Request, context: ERPRequestContext) async throws -> UserResponse {
        try await changeAssignment(request: request, context: context, add: false)
    }

    private func changeAssignment(request: Request, context: ERPRequestContext, add: Bool) async throws -> UserResponse {
        let identity = try context.require("auth.role.assign")
        let userID = UserID(try request.uuidParameter("id", context: context))
        let roleID = RoleID(try request.uuidParameter("roleId", context: context))
        return try await dependencies.change(by: identity, request, context) { connection, recorder, client in
            let roles = RoleRepository(connection)
            guard let user = try await UserRepository(connection).find(userID), let role = try await roles.find(roleID) else { throw ProblemDetails.notFound() }
            // Granting or taking away a role both need its grants: a Manager cannot demote an Owner.
            try GrantCheck.ensure(identity, canGrant: role.permissions)
            let changed: Bool
            if add {
                changed = try await roles.assign(tenant: identity.tenantID, role: roleID, to: userID)
            } else {
                if role.builtIn == .owner, user.isActive {
                    let owners = try await roles.activeOwnerIDs()
                    guard owners.contains(where: { $0 != userID }) else { throw AuthError.lastOwner }
                }
                changed = try await roles.unassign(role: roleID, from: userID)
            }
            let names = try await roles.roles(of: userID).map(\.name)
            if changed {
                try await recorder.audit(.by(identity, action: add ? .roleAssigned : .roleUnassigned, client: client, targetType: "user",
                                             targetID: userID.description, details: ["role": role.name]))
                try await recorder.emit(EventType.Auth.userRoleChanged, subject: userID.description,
                                        UserRoleChanged(userId: userID, roles: names, added: add ? [role.name] : [], removed: add ? [] : [role.name],
                                                        changedBy: identity.subject))
            }
            return UserResponse(user, roles: names)
        }
    }

    private static let nameTaken = ProblemDetails(
        code: .conflict, status: 409, title: "Conflict", detail: "A role with this name exists.",
        errors: [.alreadyTaken("name", message: "Choose another name.")]
    )
}
