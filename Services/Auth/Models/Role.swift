import ERPProtocol
import Foundation

/// A named set of permission grants in one organization: a copy of a built-in role (whose
/// grants come from the code, so new permissions reach it) or a custom one.
struct Role: Sendable, Hashable {
    var id: RoleID
    var name: String
    var description: String
    var builtIn: BuiltInRole?
    /// Stored grants of a custom role; ignored for built-in roles.
    var storedPermissions: PermissionSet
    var version: Int
    var createdAt: Date
    var updatedAt: Date

    var permissions: PermissionSet { builtIn?.permissions ?? storedPermissions }
}
