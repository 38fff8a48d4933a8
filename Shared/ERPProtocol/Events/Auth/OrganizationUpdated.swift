/// `erp.auth.organization.updated`: name or settings changed.
public struct OrganizationUpdated: Codable, Sendable, Hashable {
    public var organizationId: TenantID
    public var name: String
    public var locale: String
    public var timezone: String
    public var version: Int

    public init(organizationId: TenantID, name: String, locale: String, timezone: String, version: Int) {
        self.organizationId = organizationId
        self.name = name
        self.locale = locale
        self.timezone = timezone
        self.version = version
    }
}
