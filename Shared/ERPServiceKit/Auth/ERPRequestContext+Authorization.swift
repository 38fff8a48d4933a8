import ERPProtocol

extension ERPRequestContext {
    /// The verified caller, or a 401 problem on a route that forgot to require authentication.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw AuthenticationError.missingToken }
        return identity
    }

    /// The tenant every query of this request must be scoped to. A platform service's token
    /// without an organization has none and is refused (403), so nothing is ever written under
    /// the nil tenant; platform-only routes check ``AccessTokenClaims/isPlatform`` themselves.
    public func requireTenant() throws -> TenantID {
        try requireOrganization(requireIdentity()).tenantID
    }

    /// Throws 403 unless the caller holds `permission` (directly or through a wildcard grant).
    @discardableResult
    public func require(_ permission: Permission) throws -> Identity {
        let identity = try requireOrganization(requireIdentity())
        guard identity.has(permission) else {
            throw ProblemDetails.forbidden(detail: "This action needs the permission \(permission.rawValue).")
        }
        return identity
    }

    private func requireOrganization(_ identity: Identity) throws -> Identity {
        guard !identity.claims.isPlatform else {
            throw ProblemDetails(code: "organization_scope_required", status: 403, title: "Organization scope required",
                                 detail: "This token acts for no organization; request one with the organization parameter.")
        }
        return identity
    }
}
