/// `erp.auth.user.role_changed`: the user's roles after an assignment or removal.
public struct UserRoleChanged: Codable, Sendable, Hashable {
    public var userId: UserID
    public var roles: [String]
    public var added: [String]
    public var removed: [String]
    public var changedBy: String?

    public init(userId: UserID, roles: [String], added: [String], removed: [String], changedBy: String?) {
        self.userId = userId
        self.roles = roles
        self.added = added
        self.removed = removed
        self.changedBy = changedBy
    }
}
