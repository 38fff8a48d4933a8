import Foundation

/// `erp.auth.organization.created`: an organization and its owner were registered.
/// Subscription starts the organization's plan from it; notification sends the welcome mail.
public struct OrganizationCreated: Codable, Sendable, Hashable {
    public var organizationId: TenantID
    public var name: String
    public var slug: String
    public var ownerUserId: UserID
    public var ownerEmail: String
    public var ownerName: String
    /// The plan asked for at sign-up (`free` when none was); a paid plan starts as a trial.
    public var requestedPlan: String
    public var locale: String

    public init(
        organizationId: TenantID, name: String, slug: String, ownerUserId: UserID, ownerEmail: String, ownerName: String,
        requestedPlan: String, locale: String
    ) {
        self.organizationId = organizationId
        self.name = name
        self.slug = slug
        self.ownerUserId = ownerUserId
        self.ownerEmail = ownerEmail
        self.ownerName = ownerName
        self.requestedPlan = requestedPlan
        self.locale = locale
    }
}
