import Foundation

/// Phantom tags for ``Identifier``: each names what an id identifies. Services add their own
/// tags (e.g. `enum Lead {}` in CRM) next to their models; only ids that cross service
/// boundaries in the shared contract live here.
public enum IDTag {
    /// An organization (tenant); owned by auth.
    public enum Tenant {}
    /// A human user; owned by auth.
    public enum User {}
    /// A service account (machine client); owned by auth.
    public enum ServiceAccount {}
    /// A login session (refresh-token family); owned by auth.
    public enum Session {}
    /// A role (built-in or tenant-defined); owned by auth.
    public enum Role {}
    /// A domain event (the envelope `id`).
    public enum Event {}
    /// A stored file; owned by the file service.
    public enum File {}
}

/// Identifies an organization (tenant).
public typealias TenantID = Identifier<IDTag.Tenant>
/// Identifies a human user.
public typealias UserID = Identifier<IDTag.User>
/// Identifies a service account.
public typealias ServiceAccountID = Identifier<IDTag.ServiceAccount>
/// Identifies a login session (JWT `sid`).
public typealias SessionID = Identifier<IDTag.Session>
/// Identifies a role.
public typealias RoleID = Identifier<IDTag.Role>
/// Identifies a domain event; consumers record it to stay idempotent.
public typealias EventID = Identifier<IDTag.Event>
/// Identifies a stored file.
public typealias FileID = Identifier<IDTag.File>

extension Identifier where Tag == IDTag.Tenant {
    /// The `org` of a platform service's own token (the nil UUID): no organization, so row-level
    /// security shows it no tenant's rows. See ``AccessTokenClaims/isPlatform``.
    public static let platform = TenantID(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
}
