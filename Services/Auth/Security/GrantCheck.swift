import ERPProtocol
import ERPServiceKit

/// Nobody hands out more than they hold: creating a role, assigning it, inviting with it or
/// minting a credential with grants needs the caller to hold every one of those grants.
enum GrantCheck {
    static func ensure(_ identity: Identity, canGrant granted: PermissionSet) throws {
        let held = identity.permissions
        if held.grantsEverything { return }
        guard !granted.grantsEverything, granted.permissions.allSatisfy(held.contains) else {
            throw ProblemDetails.forbidden(detail: "You cannot grant permissions you do not hold yourself.")
        }
    }

    /// Validates grant strings for a custom role or credential: catalogue permissions or
    /// wildcards over them, never the owner grant.
    static func parse(_ grants: [String]?, field: String = "permissions") throws -> PermissionSet {
        guard let grants else { throw ProblemDetails.validation([.required(field)]) }
        var set = PermissionSet()
        var issues: [FieldIssue] = []
        for (index, grant) in grants.enumerated() {
            guard let permission = Permission(rawValue: grant), PermissionCatalogue.isKnown(permission) else {
                issues.append(.invalid("\(field).\(index)", message: "\(grant) is not a permission of the catalogue (GET /v1/permissions)."))
                continue
            }
            set.insert(permission)
        }
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        return set
    }
}
