/// The payload of the user lifecycle events `erp.auth.user.created`, `.updated`,
/// `.deactivated` and `.reactivated`: the user as it is after the change. Subscription meters
/// active users from these.
public struct UserLifecycleEvent: Codable, Sendable, Hashable {
    public var userId: UserID
    public var email: String
    public var name: String
    /// `active` or `deactivated`.
    public var status: String
    public var roles: [String]

    public init(userId: UserID, email: String, name: String, status: String, roles: [String]) {
        self.userId = userId
        self.email = email
        self.name = name
        self.status = status
        self.roles = roles
    }
}
