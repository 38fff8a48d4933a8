import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Invitations: create (the token travels to the invitee only through the
/// `erp.auth.user.invited` event the notification service mails), list, revoke, and the
/// public accept that creates the user with a password of their choosing.
struct InvitationController {
    let dependencies: AuthDependencies

    struct CreateInput: Decodable {
        var email: String?
        /// Role ids or names; `User` when absent.
        var roles: [String]?
    }

    struct AcceptInput: Decodable {
        var token: String?
        var name: String?
        var password: String?
    }

    struct InvitationResponse: ResponseCodable {
        var id: UUID
        var email: String
        var roles: [String]
        var invitedBy: UserID?
        var state: Invitation.State
        var expiresAt: Date
        var createdAt: Date
    }

    struct InvitationList: ResponseCodable { var items: [InvitationResponse] }

    struct AcceptOutput: ResponseCodable {
        var user: UserResponse
        var tokens: TokenResponse
    }

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.post("/v1/invitations", use: create)
        router.get("/v1/invitations", use: list)
        router.delete("/v1/invitations/:id", use: revoke)
        router.post("/v1/invitations/accept", use: accept)
    }

    @Sendable func create(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<InvitationResponse> {
        let identity = try context.require("auth.user.invite")
        let tenant = identity.tenantID
        let input = try await request.decode(as: CreateInput.self, context: context)
        let email = try EmailAddress.parse(input.email ?? "")
        let client = context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor)
        let now = Date()
        let expiry = now.addingTimeInterval(TimeInterval(dependencies.configuration.invitationLifetime))
        let token = TenantBoundToken(purpose: .invitation, tenant: tenant)
        let seats = SeatCheck(source: dependencies.entitlements)
        let dependencies = dependencies
        let trace = context.trace
        return respond(try await dependencies.inTenant(tenant) { connection in
            let roles = try await resolveRoles(input.roles ?? [BuiltInRole.user.name], connection: connection)
            for role in roles { try GrantCheck.ensure(identity, canGrant: role.permissions) }
            if try await UserRepository(connection).find(email: email.value) != nil {
                throw ProblemDetails(code: .conflict, status: 409, title: "Conflict", detail: "This person already has an account here.",
                                     errors: [.alreadyTaken("email", message: "Already a user of this organization.")])
            }
            try await seats.ensure(tenant: tenant, on: connection)
            let invitation = Invitation(id: UUID(), email: email.value, roleIDs: roles.map(\.id), invitedBy: identity.userID, expiresAt: expiry,
                                        acceptedAt: nil, revokedAt: nil, createdAt: now)
            do {
                try await InvitationRepository(connection).insert(tenant: tenant, invitation, tokenHash: token.hash)
            } catch let error as PostgresError where error.code == .uniqueViolation {
                throw ProblemDetails(code: .conflict, status: 409, title: "Conflict", detail: "An open invitation for this email exists; revoke it first.",
                                     errors: [.alreadyTaken("email", message: "Already invited.")])
            }
            let organization = try await OrganizationRepository(connection).find(tenant)
            let recorder = ChangeRecorder(connection, tenant: tenant, trace: trace)
            try await recorder.audit(.by(identity, action: .userInvited, client: client, targetType: "invitation", targetID: invitation.id.uuidString.lowercased(),
                                         details: ["email": email.value, "roles": roles.map(\.name).joined(separator: ",")]))
            try await recorder.emit(
                EventType.Auth.userInvited, subject: invitation.id.uuidString.lowercased(),
                UserInvited(invitationId: invitation.id.uuidString.lowercased(), email: email.value, organizationName: organization?.name ?? "",
                            invitedBy: identity.userID, roles: roles.map(\.name), acceptToken: token.value,
                            acceptUrl: dependencies.link("accept-invitation", token: token.value), expiresAt: expiry)
            )
            return Self.response(invitation, roles: roles, now: now)
        }, status: .created)
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> InvitationList {
        let tenant = try context.require("auth.user.read").tenantID
        return try await dependencies.inTenant(tenant) { connection in
            let roles = Dictionary(uniqueKeysWithValues: try await RoleRepository(connection).all().map { ($0.id, $0) })
            let now = Date()
            return InvitationList(items: try await InvitationRepository(connection).pending().map { invitation in
                Self.response(invitation, roles: invitation.roleIDs.compactMap { roles[$0] }, now: now)
            })
        }
    }

    @Sendable func revoke(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let identity = try context.require("auth.user.invite")
        let id = try request.uuidParameter("id", context: context)
        let client = context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor)
        let trace = context.trace
        try await dependencies.inTenant(identity.tenantID) { connection in
            guard try await InvitationRepository(connection).revoke(id) else { throw ProblemDetails.notFound(detail: "No open invitation with this id.") }
            try await ChangeRecorder(connection, tenant: identity.tenantID, trace: trace).audit(
                .by(identity, action: .invitationRevoked, client: client, targetType: "invitation", targetID: id.uuidString.lowercased())
            )
        }
        return .noContent
    }

    /// Public: the invitee proves the mailbox with the token and chooses a password.
    @Sendable func accept(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<AcceptOutput> {
        let input = try await request.decode(as: AcceptInput.self, context: context)
        guard let text = input.token, let token = TenantBoundToken(parsing: text, purpose: .invitation) else { throw AuthError.invalidToken }
        let name = try requireText(input.name, field: "name")
        guard let password = input.password, !password.isEmpty else { throw ProblemDetails.validation([.required("password")]) }
        let tenant = token.tenantID
        let peek = try await dependencies.inTenant(tenant) { connection -> (Invitation, Int?)? in
            guard let invitation = try await InvitationRepository(connection).find(tokenHash: token.hash), invitation.state(at: Date()) == .pending else { return nil }
            return (invitation, try await OrganizationRepository(connection).find(tenant)?.passwordMinLength)
        }
        guard let (invitation, organizationMinimum) = peek else { throw AuthError.invalidToken }
        try dependencies.configuration.passwordPolicy.raising(minimumLength: organizationMinimum).validate(password, email: invitation.email)
        let hash = try await dependencies.hashing.hash(password)
        let client = context.client(request, trustForwardedFor: dependencies.configuration.trustForwardedFor)
        let seats = SeatCheck(source: dependencies.entitlements)
        let trace = context.trace
        let now = Date()
        let (user, roles) = try await dependencies.inTenant(tenant) { connection -> (User, [Role]) in
            let invitations = InvitationRepository(connection)
            guard let current = try await invitations.find(tokenHash: token.hash), current.state(at: Date()) == .pending else { throw AuthError.invalidToken }
            try await seats.ensure(tenant: tenant, claiming: 1, alreadyCounted: 1, on: connection)
            let user = User(tenantID: tenant, id: .random(), email: current.email, name: name, status: .active, passwordHash: hash,
                            emailVerifiedAt: now, locale: nil, timezone: nil, totpEnabledAt: nil, lastLoginAt: nil, version: 1, createdAt: now, updatedAt: now)
            do {
                try await UserRepository(connection).insert(user)
            } catch let error as PostgresError where error.code == .uniqueViolation {
                throw ProblemDetails.conflict(detail: "This email already has an account in the organization.")
            }
            let roleRepository = RoleRepository(connection)
            var roles: [Role] = []
            for roleID in current.roleIDs {
                guard let role = try await roleRepository.find(roleID) else { continue }
                try await roleRepository.assign(tenant: tenant, role: roleID, to: user.id)
                roles.append(role)
            }
            try await invitations.markAccepted(current.id)
            let recorder = ChangeRecorder(connection, tenant: tenant, trace: trace)
            try await recorder.audit(
                AuditEntry(action: .userCreated, actorType: .user, actorID: user.id.description, targetType: "user", targetID: user.id.description,
                           ip: client.ip, userAgent: client.userAgent, details: ["via": "invitation", "invitation": current.id.uuidString.lowercased()])
            )
            try await recorder.emit(
                EventType.Auth.userCreated, subject: user.id.description,
                UserLifecycleEvent(userId: user.id, email: user.email, name: name, status: "active", roles: roles.map(\.name))
            )
            return (user, roles)
        }
        let tokens = try await dependencies.issuer.start(user: user, roles: roles, client: client, mfa: false)
        return respond(AcceptOutput(user: UserResponse(user, roles: roles.map(\.name)), tokens: tokens), status: .created)
    }

    /// Roles by id or (case-insensitive) name; an unknown one is a 422 naming it.
    private func resolveRoles(_ references: [String], connection: PostgresConnection) async throws -> [Role] {
        guard !references.isEmpty, references.count <= 20 else {
            throw ProblemDetails.validation([.invalid("roles", message: "Give 1–20 roles.")])
        }
        let all = try await RoleRepository(connection).all()
        var roles: [Role] = []
        var issues: [FieldIssue] = []
        for (index, reference) in references.enumerated() {
            if let role = all.first(where: { $0.id.description == reference.lowercased() || $0.name.lowercased() == reference.lowercased() }) {
                if !roles.contains(role) { roles.append(role) }
            } else {
                issues.append(.invalid("roles.\(index)", message: "No role \(reference) in this organization."))
            }
        }
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        return roles
    }

    static func response(_ invitation: Invitation, roles: [Role], now: Date) -> InvitationResponse {
        InvitationResponse(id: invitation.id, email: invitation.email, roles: roles.map(\.name), invitedBy: invitation.invitedBy,
                           state: invitation.state(at: now), expiresAt: invitation.expiresAt, createdAt: invitation.createdAt)
    }
}
