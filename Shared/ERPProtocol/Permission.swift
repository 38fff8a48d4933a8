/// A permission name, `<service>.<resource>.<action>`, e.g. `crm.lead.read`.
///
/// `service` is a ``ServiceName`` other than `gateway` (the gateway owns no data); `resource`
/// and `action` follow the segment rule (lowercase letters, digits, single underscores,
/// starting with a letter) or are the wildcard `*`, which only makes sense in a grant:
/// `crm.lead.*` (every action on leads), `crm.*.read` (read anything in CRM), `crm.*.*`.
/// The service is never a wildcard; "everything everywhere" is the separate owner grant of
/// ``PermissionSet``.
///
/// On the wire it is the plain string. A string literal that is not a valid permission traps
/// on first use (a programmer error, caught at start-up when routes declare what they need).
public struct Permission: Hashable, Sendable, Comparable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The wildcard segment.
    public static let wildcard = "*"

    /// The service that owns the resource.
    public let service: ServiceName
    /// The resource, e.g. `lead`, `journal_entry`, or `*`.
    public let resource: String
    /// The action, e.g. `read`, `create`, `approve`, or `*`.
    public let action: String

    /// Why a string is not a permission.
    public enum ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
        /// Not three dot-separated segments.
        case notThreeSegments
        /// The first segment is not a service that owns data (`gateway` is refused too).
        case unknownService
        /// The resource or action is neither `*` nor a valid lowercase segment.
        case invalidSegment

        public var description: String {
            switch self {
            case .notThreeSegments: "A permission has the form <service>.<resource>.<action>"
            case .unknownService: "The permission's service is not a service that owns resources"
            case .invalidSegment: "Permission segments use lowercase letters, digits and underscores, or *"
            }
        }
    }

    /// Validates and parses `text`.
    public init(_ text: String) throws(ValidationError) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .notThreeSegments }
        guard let service = ServiceName(rawValue: String(parts[0])), service != .gateway else {
            throw .unknownService
        }
        try self.init(service: service, resource: String(parts[1]), action: String(parts[2]))
    }

    /// Builds a permission from its parts, validating resource and action.
    public init(service: ServiceName, resource: String, action: String) throws(ValidationError) {
        guard service != .gateway else { throw .unknownService }
        for segment in [resource, action] where segment != Self.wildcard {
            guard NameSegment.isValid(Substring(segment)) else { throw .invalidSegment }
        }
        self.service = service
        self.resource = resource
        self.action = action
    }

    /// For parts already known to be valid (derived from a validated permission).
    init(validService service: ServiceName, resource: String, action: String) {
        self.service = service
        self.resource = resource
        self.action = action
    }

    /// Validates and parses `text`; `nil` when it is not a permission.
    public init?(rawValue: String) {
        guard let permission = try? Permission(rawValue) else { return nil }
        self = permission
    }

    public init(stringLiteral value: String) {
        do {
            try self.init(value)
        } catch {
            preconditionFailure("Invalid permission literal \(value): \(error)")
        }
    }

    /// `<service>.<resource>.<action>`.
    public var rawValue: String { "\(service.rawValue).\(resource).\(action)" }

    public var description: String { rawValue }

    /// Whether resource or action is `*`.
    public var isWildcard: Bool { resource == Self.wildcard || action == Self.wildcard }

    /// Whether holding this (possibly wildcard) grant satisfies `required`: same service, and
    /// each of resource and action equal or `*` here. A wildcard in `required` is only met by a
    /// wildcard at least as wide here.
    public func covers(_ required: Permission) -> Bool {
        service == required.service
            && (resource == Self.wildcard || resource == required.resource)
            && (action == Self.wildcard || action == required.action)
    }

    public static func < (lhs: Permission, rhs: Permission) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
