import ERPProtocol

extension ERPRequestContext {
    /// The verified caller, or a 401 problem on a route that forgot to require authentication.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw AuthenticationError.missingToken }
        return identity
    }

    /// The tenant every query of this request must be scoped to.
    public func requireTenant() throws -> TenantID {
        try requireIdentity().tenantID
    }

    /// Throws 403 unless the caller holds `permission` (directly or through a wildcard grant).
    @discardableResult
    public func require(_ permission: Permission) throws -> Identity {
        let identity = try requireIdentity()
        guard identity.has(permission) else {
            throw ProblemDetails.forbidden(detail: "This action needs the permission \(permission.rawValue).")
        }
        return identity
    }
}
