import ERPProtocol

/// Re-checks the caller's password before sensitive changes (password, MFA).
struct CurrentPassword {
    let dependencies: AuthDependencies

    /// The user, when `password` is theirs; 403 `password_incorrect` otherwise.
    func verify(_ password: String?, tenant: TenantID, user userID: UserID) async throws -> User {
        guard let password, !password.isEmpty else { throw ProblemDetails.validation([.required("password")]) }
        guard let user = try await dependencies.inTenant(tenant, { try await UserRepository($0).find(userID) }), user.isActive else {
            throw ProblemDetails.notFound()
        }
        guard try await dependencies.hashing.verify(password, against: user.passwordHash) else { throw AuthError.passwordIncorrect }
        return user
    }
}
