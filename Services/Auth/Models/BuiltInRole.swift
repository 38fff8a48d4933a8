import ERPProtocol

/// The five roles every organization starts with. Their grants are derived from the
/// permission catalogue by action, so a permission added to the catalogue lands in the right
/// roles without a migration.
enum BuiltInRole: String, Sendable, Hashable, CaseIterable, Codable {
    case owner
    case admin
    case manager
    case user
    case viewer

    var name: String {
        switch self {
        case .owner: "Owner"
        case .admin: "Admin"
        case .manager: "Manager"
        case .user: "User"
        case .viewer: "Viewer"
        }
    }

    var summary: String {
        switch self {
        case .owner: "Everything, including billing and the plan. At least one user always holds it."
        case .admin: "Administers users, roles, credentials and all business data; not billing or the plan."
        case .manager: "Works with and approves all business data; reads the organization's users."
        case .user: "Reads and records day-to-day business data; approves nothing."
        case .viewer: "Reads business data."
        }
    }

    /// Permissions only the Owner holds.
    static let ownerOnly: Set<Permission> = ["subscription.plan.manage", "subscription.payment_method.manage", "auth.organization.delete"]

    /// Actions a Manager may not take (administration and destruction).
    private static let managerExcludedActions: Set<String> = ["delete", "manage", "close", "void", "rotate", "revoke"]
    /// Actions a User may take.
    private static let userActions: Set<String> = [
        "read", "create", "update", "request", "submit", "record", "upload", "run", "log", "generate", "chat", "export",
    ]
    /// Auth administration stays with Owner and Admin; others only see who is in the organization.
    private static let administrativeResources: Set<String> = ["audit", "service_account", "api_key", "session"]

    var permissions: PermissionSet {
        let catalogue = PermissionCatalogue.all.map(\.permission)
        switch self {
        case .owner:
            return .owner
        case .admin:
            return PermissionCatalogue.compacted(catalogue.filter { !Self.ownerOnly.contains($0) })
        case .manager:
            return PermissionCatalogue.compacted(catalogue.filter { permission in
                if permission.service == .auth { return ["user.read", "role.read", "organization.read", "user.invite"].contains("\(permission.resource).\(permission.action)") }
                if permission.service == .subscription { return permission.action == "read" }
                return !Self.managerExcludedActions.contains(permission.action)
            })
        case .user:
            return PermissionCatalogue.compacted(catalogue.filter { permission in
                if permission.service == .auth { return ["user.read", "role.read", "organization.read"].contains("\(permission.resource).\(permission.action)") }
                if permission.service == .subscription { return permission.action == "read" && permission.resource != "invoice" }
                return Self.userActions.contains(permission.action)
            })
        case .viewer:
            return PermissionCatalogue.compacted(catalogue.filter { permission in
                guard permission.action == "read" else { return false }
                if permission.service == .auth { return !Self.administrativeResources.contains(permission.resource) }
                return permission.service != .subscription || permission.resource == "plan"
            })
        }
    }
}
