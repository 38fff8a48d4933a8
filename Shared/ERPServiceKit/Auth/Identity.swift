import ERPProtocol

/// The verified caller of a request, taken from a valid access token.
public struct Identity: Sendable, Hashable {
    public let claims: AccessTokenClaims

    public init(claims: AccessTokenClaims) {
        self.claims = claims
    }

    /// The organization (tenant) every query of this request is scoped to.
    public var tenantID: TenantID { claims.org }
    public var subject: String { claims.sub }
    public var userID: UserID? { claims.userID }
    public var isService: Bool { claims.kind == .service }
    public var roles: [String] { claims.roles }
    public var permissions: PermissionSet { claims.perms }

    public func has(_ permission: Permission) -> Bool {
        claims.perms.contains(permission)
    }
}
