/// The payload of the role, service-account and API-key events (`erp.auth.role.created`,
/// `erp.auth.service_account.secret_rotated`, `erp.auth.api_key.revoked`, …): which credential
/// or role, its name and grants after the change, and who did it. Never a secret.
public struct CredentialChanged: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var permissions: [String]
    public var changedBy: String?

    public init(id: String, name: String, permissions: [String], changedBy: String?) {
        self.id = id
        self.name = name
        self.permissions = permissions
        self.changedBy = changedBy
    }
}
