import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// The organization's users for admins: list/search, get, update, deactivate, reactivate.
struct UserController {
    let dependencies: AuthDependencies

    struct UpdateInput: Decodable {
        var name: String?
        var locale: String?
        var timezone: String?
    }

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/users", use: list)
        router.get("/v1/users/:id", use: show)
        router.patch("/v1/users/:id", use: update)
        router.post("/v1/users/:id/deactivate", use: deactivate)
        router.post("/v1/users/:id/reactivate", use: reactivate)
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> Page<UserResponse> {
        let tenant = try context.require("auth.user.read").tenantID
        let query = request.uri.queryParameters
        let page = try PageRequest(queryLimit: query.get("limit"), queryCursor: query.get("cursor"))
        let after = try page.cursor?.decode(UserCursor.self)
        let search = query.get("q").flatMap { $0.isEmpty ? nil : String($0.prefix(100)) }
        var status: User.Status?
        if let text = query.get("status"), !text.isEmpty {
            guard let parsed = User.Status(rawValue: text) else {
                throw ProblemDetails.validation([.invalid("status", message: "Use active or deactivated.")])
            }
            status = parsed
        }
        return try await dependencies.inTenant(tenant) { connection in
            let users = try await UserRepository(connection).list(search: search, status: status, after: after, limit: page.fetchLimit)
            let listed = try Page(fetched: users, request: page) { UserCursor(createdAt: $0.createdAt, id: $0.id.uuid) }
            let roles = try await RoleRepository(connection).roleNames(of: listed.items.map(\.id))
            return listed.map { UserResponse($0, roles: roles[$0.id] ?? []) }
        }
    }

    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<UserResponse> {
        let tenant = try context.require("auth.user.read").tenantID
        let id = UserID(try request.uuidParameter("id", context: context))
        let response = try await dependencies.inTenant(tenant) { connection -> UserResponse? in
            guard let user = try await UserRepository(connection).find(id) else { return nil }
            return UserResponse(user, roles: try await RoleRepository(connection).roles(of: id).map(\.name))
        }
        guard let response else { throw ProblemDetails.notFound() }
        return respond(response, headers: .etag(response.version))
    }

    @Sendable func update(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<UserResponse> {
        let identity = try context.require("auth.user.update")
        let id = UserID(try request.uuidParameter("id", context: context))
        let version = try request.requiredVersion()
        let input = try await request.decode(as: UpdateInput.self, context: context)
        let response = try await ProfileUpdate(dependencies: dependencies).apply(
            name: input.name, locale: input.locale, timezone: input.timezone, to: id, tenant: identity.tenantID, expectedVersion: version,
            identity: identity, client: context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor), trace: context.trace
        )
        return respond(response, headers: .etag(response.version))
    }

    @Sendable func deactivate(_ request: Request, context: ERPRequestContext) async throws -> UserResponse {
        let identity = try context.require("auth.user.deactivate")
        let id = UserID(try request.uuidParameter("id", context: context))
        let response = try await setStatus(.deactivated, of: id, identity: identity, request: request, context: context)
        let revoked = try await dependencies.sessions.revokeAll(tenant: identity.tenantID, user: id)
        if !revoked.isEmpty {
            let trace = context.trace
            try await dependencies.inTenant(identity.tenantID) { connection in
                let recorder = ChangeRecorder(connection, tenant: identity.tenantID, trace: trace)
                for session in revoked {
                    try await recorder.emit(EventType.Auth.sessionRevoked, subject: session.description, SessionRevoked(sessionId: session, userId: id, reason: "deactivated"))
                }
            }
        }
        return response
    }

    @Sendable func reactivate(_ request: Request, context: ERPRequestContext) async throws -> UserResponse {
        let identity = try context.require("auth.user.deactivate")
        let id = UserID(try request.uuidParameter("id", context: context))
        return try await setStatus(.active, of: id, identity: identity, request: request, context: context)
    }

    private func setStatus(_ status: User.Status, of id: UserID, identity: Identity, request: Request, context: ERPRequestContext) async throws -> UserResponse {
        let tenant = identity.tenantID
        let client = context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor)
        let seats = SeatCheck(source: dependencies.entitlements)
        let trace = context.trace
        return try await dependencies.inTenant(tenant) { connection in
            let users = UserRepository(connection)
            guard let user = try await users.find(id) else { throw ProblemDetails.notFound() }
            guard user.status != status else { throw ProblemDetails.conflict(detail: "The user is already \(status.rawValue).") }
            let roles = try await RoleRepository(connection).roles(of: id)
            if status == .deactivated {
                guard id != identity.userID else { throw ProblemDetails.conflict(detail: "You cannot deactivate yourself.") }
                if roles.contains(where: { $0.builtIn == .owner }) {
                    let owners = try await RoleRepository(connection).activeOwnerIDs()
                    guard owners.contains(where: { $0 != id }) else { throw AuthError.lastOwner }
                    guard identity.permissions.grantsEverything else {
                        throw ProblemDetails.forbidden(detail: "Only an Owner can deactivate an Owner.")
                    }
                }
            } else {
                try await seats.ensure(tenant: tenant, on: connection)
            }
            guard let saved = try await users.setStatus(id, status) else { throw ProblemDetails.notFound() }
            let recorder = ChangeRecorder(connection, tenant: tenant, trace: trace)
            try await recorder.audit(
                .by(identity, action: status == .active ? .userReactivated : .userDeactivated, client: client, targetType: "user", targetID: id.description)
            )
            try await recorder.emit(
                status == .active ? EventType.Auth.userReactivated : EventType.Auth.userDeactivated, subject: id.description,
                UserLifecycleEvent(userId: id, email: saved.email, name: saved.name, status: status.rawValue, roles: roles.map(\.name))
            )
            return UserResponse(saved, roles: roles.map(\.name))
        }
    }
}
