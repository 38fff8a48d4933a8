import ERPCrypto
import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// `POST /v1/organizations`: sign-up. The organization, its built-in roles, the owner, the
/// audit entries and the events commit in one transaction, then the owner is logged in.
struct RegistrationController {
    let dependencies: AuthDependencies

    struct Input: Decodable {
        struct OrganizationInput: Decodable {
            var name: String?
            var slug: String?
            var locale: String?
            var timezone: String?
        }

        struct OwnerInput: Decodable {
            var email: String?
            var password: String?
            var name: String?
        }

        var organization: OrganizationInput
        var owner: OwnerInput
        /// The plan to start with (`free` by default); subscription decides what it means.
        var plan: String?
    }

    struct Output: ResponseCodable {
        var organization: OrganizationResponse
        var user: UserResponse
        var tokens: TokenResponse
    }

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.post("/v1/organizations", use: register)
    }

    @Sendable func register(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<Output> {
        let input = try await request.decode(as: Input.self, context: context)
        let configuration = dependencies.configuration
        var issues: [FieldIssue] = []
        let name = (input.organization.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { issues.append(.required("organization.name")) } else if name.count > 200 {
            issues.append(.outOfRange("organization.name", message: "Use at most 200 characters."))
        }
        if let slug = input.organization.slug, !Slug.isValid(slug) {
            issues.append(.invalid("organization.slug", message: "Use 3–50 lowercase letters, digits and single hyphens."))
        }
        let locale = input.organization.locale ?? "en"
        if !Locales.isValid(locale) { issues.append(.invalid("organization.locale", message: "Use a language tag such as en or de-CH.")) }
        let timezone = input.organization.timezone ?? "UTC"
        if TimeZone(identifier: timezone) == nil { issues.append(.invalid("organization.timezone", message: "Use an IANA time zone such as Europe/Zurich.")) }
        let email = EmailAddress(input.owner.email ?? "")
        if email == nil { issues.append(.invalid("owner.email", message: "Enter a valid email address.")) }
        let ownerName = (input.owner.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if ownerName.isEmpty { issues.append(.required("owner.name")) } else if ownerName.count > 200 {
            issues.append(.outOfRange("owner.name", message: "Use at most 200 characters."))
        }
        let password = input.owner.password ?? ""
        if password.isEmpty { issues.append(.required("owner.password")) } else {
            issues += configuration.passwordPolicy.violations(of: password, email: email?.value ?? "", field: "owner.password")
        }
        let plan = (input.plan ?? "free").lowercased()
        if !NameSegment.isValid(plan) { issues.append(.invalid("plan", message: "Use a plan code such as free or pro.")) }
        guard issues.isEmpty, let email else { throw ProblemDetails.validation(issues) }

        let passwordHash = try await dependencies.hashing.hash(password)
        let client = context.client(request, trustForwardedFor: configuration.trustForwardedFor)
        let now = Date()
        let tenant = TenantID.random()
        let slug = try await availableSlug(requested: input.organization.slug, name: name)
        let organization = Organization(
            id: tenant, name: name, slug: slug, locale: locale, timezone: timezone, passwordMinLength: nil, version: 1, createdAt: now, updatedAt: now
        )
        let owner = User(
            tenantID: tenant, id: .random(), email: email.value, name: ownerName, status: .active, passwordHash: passwordHash,
            emailVerifiedAt: nil, locale: nil, timezone: nil, totpEnabledAt: nil, lastLoginAt: nil, version: 1, createdAt: now, updatedAt: now
        )
        let verification = TenantBoundToken(purpose: .emailVerification, tenant: tenant)
        let verificationExpiry = now.addingTimeInterval(TimeInterval(configuration.emailVerificationLifetime))
        let dependencies = dependencies
        let trace = context.trace
        let ownerRole: Role
        do {
            ownerRole = try await dependencies.inTenant(tenant) { connection in
                try await OrganizationRepository(connection).insert(organization)
                let roles = try await RoleRepository(connection).seedBuiltInRoles(tenant: tenant)
                try await UserRepository(connection).insert(owner)
                try await RoleRepository(connection).assign(tenant: tenant, role: roles[.owner]!.id, to: owner.id)
                try await UserTokenRepository(connection).insert(
                    tenant: tenant, user: owner.id, purpose: .emailVerification, tokenHash: verification.hash, expiresAt: verificationExpiry
                )
                let recorder = ChangeRecorder(connection, tenant: tenant, trace: trace)
                let actor = AuditEntry(action: .organizationCreated, actorType: .user, actorID: owner.id.description, targetType: "organization",
                                       targetID: tenant.description, ip: client.ip, userAgent: client.userAgent, details: ["slug": slug])
                try await recorder.audit(actor)
                var created = actor
                created.id = UUID()
                created.action = .userCreated
                created.targetType = "user"
                created.targetID = owner.id.description
                created.details = ["via": "registration"]
                try await recorder.audit(created)
                try await recorder.emit(
                    EventType.Auth.organizationCreated, subject: tenant.description,
                    OrganizationCreated(organizationId: tenant, name: name, slug: slug, ownerUserId: owner.id, ownerEmail: email.value,
                                        ownerName: ownerName, requestedPlan: plan, locale: locale)
                )
                try await recorder.emit(
                    EventType.Auth.userCreated, subject: owner.id.description,
                    UserLifecycleEvent(userId: owner.id, email: email.value, name: ownerName, status: "active", roles: [BuiltInRole.owner.name])
                )
                try await recorder.emit(
                    EventType.Auth.emailVerificationRequested, subject: owner.id.description,
                    UserTokenIssued(userId: owner.id, email: email.value, name: ownerName, token: verification.value,
                                    url: dependencies.link("verify-email", token: verification.value), expiresAt: verificationExpiry)
                )
                return roles[.owner]!
            }
        } catch let error as PostgresError where error.code == .uniqueViolation {
            throw ProblemDetails(code: .conflict, status: 409, title: "Conflict", detail: "This organization handle is taken.",
                                 errors: [.alreadyTaken("organization.slug", message: "Choose another handle.")])
        }
        let tokens = try await dependencies.issuer.start(user: owner, roles: [ownerRole], client: client, mfa: false)
        return respond(
            Output(organization: OrganizationResponse(organization, policy: configuration.passwordPolicy),
                   user: UserResponse(owner, roles: [ownerRole.name]), tokens: tokens),
            status: .created
        )
    }

    /// The requested slug as is (a clash is a 409), or one derived from the name with a random
    /// suffix when the plain one is taken.
    private func availableSlug(requested: String?, name: String) async throws -> String {
        if let requested { return requested }
        let base = Slug.derive(from: name)
        let taken = try await dependencies.pool.withConnection { try await OrganizationRepository($0).tenant(forSlug: base) } != nil
        guard taken else { return base }
        return String(base.prefix(40)) + "-" + SHA256.hexDigest(SecureRandom.bytes(count: 8)).prefix(6)
    }
}
