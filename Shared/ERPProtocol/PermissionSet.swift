/// The permissions a caller holds, with wildcard grants, answering "may they do X?".
///
/// Grants are ``Permission``s, possibly with `*` as resource and/or action (`crm.lead.*`,
/// `crm.*.read`, `crm.*.*`), plus the single owner grant `*`, which covers every permission
/// of every service and is given only to an organization's Owner role. There is no
/// `*.<resource>.<action>` form: "the same action in every service" is not a meaningful role.
///
/// On the wire (the JWT `perms` claim, role APIs) it is a JSON array of strings, sorted so
/// equal sets encode identically, e.g. `["*"]` or `["crm.*.read","crm.lead.convert"]`.
public struct PermissionSet: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// The owner grant string.
    public static let ownerGrant = "*"

    /// The set holding only the owner grant.
    public static let owner = PermissionSet(grantsEverything: true)

    /// Whether the owner grant `*` is held.
    public private(set) var grantsEverything: Bool
    /// The permission grants held (besides the owner grant).
    public private(set) var permissions: Set<Permission>

    /// A set of grants, optionally including the owner grant.
    public init(_ permissions: some Sequence<Permission> = [Permission](), grantsEverything: Bool = false) {
        self.permissions = Set(permissions)
        self.grantsEverything = grantsEverything
    }

    public init(arrayLiteral elements: Permission...) {
        self.init(elements)
    }

    /// Parses grant strings (`*` or permissions), throwing on the first invalid one.
    public init(grants: some Sequence<String>) throws(Permission.ValidationError) {
        var permissions = Set<Permission>()
        var everything = false
        for grant in grants {
            if grant == Self.ownerGrant {
                everything = true
            } else {
                permissions.insert(try Permission(grant))
            }
        }
        self.init(permissions, grantsEverything: everything)
    }

    /// Whether these grants satisfy `required`. Checks the at most four grants that could
    /// cover it (exact, `resource.*`, `*.action`, `*.*`) instead of scanning every grant.
    public func contains(_ required: Permission) -> Bool {
        if grantsEverything { return true }
        for resource in [required.resource, Permission.wildcard] {
            for action in [required.action, Permission.wildcard] {
                let grant = Permission(validService: required.service, resource: resource, action: action)
                if permissions.contains(grant) { return true }
            }
        }
        return false
    }

    /// Whether these grants satisfy every one of `required`.
    public func containsAll(_ required: some Sequence<Permission>) -> Bool {
        required.allSatisfy(contains)
    }

    /// Adds a grant.
    public mutating func insert(_ permission: Permission) {
        permissions.insert(permission)
    }

    /// Both sets' grants (e.g. the union of a user's roles).
    public func union(_ other: PermissionSet) -> PermissionSet {
        PermissionSet(permissions.union(other.permissions), grantsEverything: grantsEverything || other.grantsEverything)
    }

    /// Whether no grant at all is held.
    public var isEmpty: Bool { !grantsEverything && permissions.isEmpty }

    /// The grants as sorted wire strings (`*` first when held).
    public var grants: [String] {
        (grantsEverything ? [Self.ownerGrant] : []) + permissions.map(\.rawValue).sorted()
    }

    public var description: String { grants.joined(separator: " ") }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let strings = try container.decode([String].self)
        do {
            try self.init(grants: strings)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(grants)
    }
}
