import ERPProtocol
import ERPServiceKit
import Foundation

/// Changes a user's name, locale and time zone (by the user, or by an admin with `If-Match`).
struct ProfileUpdate {
    let dependencies: AuthDependencies

    func apply(
        name: String?, locale: String?, timezone: String?, to userID: UserID, tenant: TenantID, expectedVersion: Int?, identity: Identity,
        client: ClientInfo, trace: TraceContext
    ) async throws -> UserResponse {
        var issues: [FieldIssue] = []
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 200 { issues.append(.invalid("name", message: "Use 1–200 characters.")) }
        if let locale, !Locales.isValid(locale) { issues.append(.invalid("locale", message: "Use a language tag such as en or de-CH.")) }
        if let timezone, TimeZone(identifier: timezone) == nil { issues.append(.invalid("timezone", message: "Use an IANA time zone.")) }
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        return try await dependencies.inTenant(tenant) { connection in
            let users = UserRepository(connection)
            guard let current = try await users.find(userID) else { throw ProblemDetails.notFound() }
            if let expectedVersion, current.version != expectedVersion {
                throw ProblemDetails.preconditionFailed(detail: "The user changed since you read it.")
            }
            guard let saved = try await users.updateProfile(
                userID, name: name?.trimmingCharacters(in: .whitespaces) ?? current.name, locale: locale ?? current.locale, timezone: timezone ?? current.timezone
            ) else { throw ProblemDetails.notFound() }
            let roles = try await RoleRepository(connection).roles(of: userID).map(\.name)
            let recorder = ChangeRecorder(connection, tenant: tenant, trace: trace)
            try await recorder.audit(.by(identity, action: .userUpdated, client: client, targetType: "user", targetID: userID.description))
            try await recorder.emit(
                EventType.Auth.userUpdated, subject: userID.description,
                UserLifecycleEvent(userId: userID, email: saved.email, name: saved.name, status: saved.status.rawValue, roles: roles)
            )
            return UserResponse(saved, roles: roles)
        }
    }
}
