import Foundation

/// The claims of the suite's access tokens (JWT, EdDSA, issued by erp-auth, short-lived).
///
/// ```json
/// {"aud":"erp","exp":1795236951,"iat":1795236051,"iss":"https://auth.erp.dev","jti":"…","kind":"user",
///  "org":"<tenant uuid>","perms":["crm.lead.read"],"roles":["Manager"],"sid":"<session uuid>","sub":"<user uuid>"}
/// ```
///
/// - Times (`exp`, `iat`, `nbf`) are JWT NumericDates: integer seconds since the epoch, not the
///   ISO strings of ``ERPJSON`` (fractions are dropped when encoding and accepted when decoding).
/// - `aud` may be a string or an array in JSON (RFC 7519 §4.1.3); both decode, and a single
///   audience encodes as a plain string.
/// - `kind` says whether `sub` is a user id (`user`) or a service account id (`service`, from
///   the client-credentials grant). `sid` is the session for user tokens, absent for services.
/// - `perms` is the effective permission set of the token's roles at issue time (a JSON array
///   of strings, `*` for the owner), so services check permissions without calling auth.
///
/// Verifying the signature and times is the service kit's job; this type only carries them.
public struct AccessTokenClaims: Hashable, Sendable, Codable {
    /// Subject: the user id (kind `user`) or service account id (kind `service`).
    public var sub: String
    /// The organization (tenant) the token acts in.
    public var org: TenantID
    /// Role names, e.g. `Owner`, `Manager`, or a tenant's custom role.
    public var roles: [String]
    /// Effective permissions.
    public var perms: PermissionSet
    /// Issuer (the auth service's public URL).
    public var iss: String
    /// Audience(s).
    public var aud: Audience
    /// Expiry.
    public var exp: Date
    /// Issued at.
    public var iat: Date
    /// Not before, if set.
    public var nbf: Date?
    /// Unique token id (for revocation lists and logs).
    public var jti: String
    /// The login session, for user tokens.
    public var sid: SessionID?
    /// Whether the subject is a user or a service account.
    public var kind: Kind

    /// Who the subject is.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// A human user; `sub` is a ``UserID``.
        case user
        /// A service account (machine client); `sub` is a ``ServiceAccountID``.
        case service
    }

    /// Claims as given; `nbf` and `sid` are optional.
    public init(
        sub: String, org: TenantID, roles: [String], perms: PermissionSet, iss: String, aud: Audience,
        exp: Date, iat: Date, nbf: Date? = nil, jti: String, sid: SessionID? = nil, kind: Kind
    ) {
        self.sub = sub
        self.org = org
        self.roles = roles
        self.perms = perms
        self.iss = iss
        self.aud = aud
        self.exp = exp
        self.iat = iat
        self.nbf = nbf
        self.jti = jti
        self.sid = sid
        self.kind = kind
    }

    /// The tenant (same as `org`).
    public var tenantID: TenantID { org }

    /// The user id when this is a user token.
    public var userID: UserID? { kind == .user ? UserID(string: sub) : nil }

    /// A platform service's own token that names no organization (`org` is ``TenantID/platform``).
    public var isPlatform: Bool { org == .platform }

    /// The service account id when this is a service token.
    public var serviceAccountID: ServiceAccountID? { kind == .service ? ServiceAccountID(string: sub) : nil }

    /// Whether `now` is within `nbf`…`exp`, allowing `leeway` seconds of clock skew each way.
    public func isValid(at now: Date, leeway: TimeInterval = 30) -> Bool {
        if let nbf, now.addingTimeInterval(leeway) < nbf { return false }
        return now.addingTimeInterval(-leeway) < exp
    }

    enum CodingKeys: String, CodingKey {
        case sub, org, roles, perms, iss, aud, exp, iat, nbf, jti, sid, kind
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sub = try container.decode(String.self, forKey: .sub)
        org = try container.decode(TenantID.self, forKey: .org)
        roles = try container.decode([String].self, forKey: .roles)
        perms = try container.decode(PermissionSet.self, forKey: .perms)
        iss = try container.decode(String.self, forKey: .iss)
        aud = try container.decode(Audience.self, forKey: .aud)
        exp = try Self.decodeNumericDate(container, .exp)
        iat = try Self.decodeNumericDate(container, .iat)
        if container.contains(.nbf), try !container.decodeNil(forKey: .nbf) {
            nbf = try Self.decodeNumericDate(container, .nbf)
        } else {
            nbf = nil
        }
        jti = try container.decode(String.self, forKey: .jti)
        sid = try container.decodeIfPresent(SessionID.self, forKey: .sid)
        kind = try container.decode(Kind.self, forKey: .kind)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sub, forKey: .sub)
        try container.encode(org, forKey: .org)
        try container.encode(roles, forKey: .roles)
        try container.encode(perms, forKey: .perms)
        try container.encode(iss, forKey: .iss)
        try container.encode(aud, forKey: .aud)
        try container.encode(Self.numericDate(exp), forKey: .exp)
        try container.encode(Self.numericDate(iat), forKey: .iat)
        try container.encodeIfPresent(nbf.map(Self.numericDate), forKey: .nbf)
        try container.encode(jti, forKey: .jti)
        try container.encodeIfPresent(sid, forKey: .sid)
        try container.encode(kind, forKey: .kind)
    }

    /// Whole seconds, rounded down, so a token never claims to live longer than asked.
    private static func numericDate(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }

    private static func decodeNumericDate(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Date {
        // RFC 7519 allows fractional NumericDates; read integers exactly first.
        if let seconds = try? container.decode(Int64.self, forKey: key) {
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return Date(timeIntervalSince1970: try container.decode(Double.self, forKey: key))
    }
}
