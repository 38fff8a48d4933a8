/// A domain event's type: `erp.<service>.<aggregate>.<past-tense-verb>`, e.g. `erp.crm.lead.converted`.
///
/// Exactly four dot-separated segments; the first is `erp`, the second a ``ServiceName`` (the
/// producer, which also names the topic), and aggregate and verb follow the segment rule
/// (lowercase letters, digits, single underscores, starting with a letter). Whether the verb
/// is really past tense is a naming convention (`trial.ending`, `stock.low` are in the
/// catalogue), not something the parser can check.
///
/// On the wire it is the plain string. Known types are the statics in `EventType.Auth`,
/// `EventType.CRM`, … (see `EventType+Catalogue.swift`).
public struct EventType: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    /// The full type string.
    public let rawValue: String
    /// The producing service.
    public let service: ServiceName
    /// The aggregate the event is about, e.g. `lead`, `purchase_order`.
    public let aggregate: String
    /// What happened, e.g. `converted`, `stage_changed`.
    public let verb: String

    /// Why a string is not an event type.
    public enum ValidationError: Error, Hashable, CustomStringConvertible {
        /// Not four dot-separated segments starting with `erp`.
        case notFourSegments
        /// The service segment is not one of ``ServiceName``.
        case unknownService
        /// A segment has characters outside `[a-z0-9_]`, starts with a non-letter or is empty.
        case invalidSegment

        public var description: String {
            switch self {
            case .notFourSegments: "An event type has the form erp.<service>.<aggregate>.<verb>"
            case .unknownService: "The event type's service segment is not a known service"
            case .invalidSegment: "Event type segments use lowercase letters, digits and single underscores"
            }
        }
    }

    /// Validates and parses `rawValue`.
    public init(_ rawValue: String) throws(ValidationError) {
        let parts = rawValue.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "erp" else { throw .notFourSegments }
        guard parts.allSatisfy(NameSegment.isValid) else { throw .invalidSegment }
        guard let service = ServiceName(rawValue: String(parts[1])) else { throw .unknownService }
        self.rawValue = rawValue
        self.service = service
        self.aggregate = String(parts[2])
        self.verb = String(parts[3])
    }

    /// Validates and parses `rawValue`; `nil` when it is not an event type.
    public init?(rawValue: String) {
        guard let parsed = try? EventType(rawValue) else { return nil }
        self = parsed
    }

    /// Builds `erp.<service>.<aggregate>.<verb>` from its parts, validating them.
    public init(service: ServiceName, aggregate: String, verb: String) throws(ValidationError) {
        try self.init("erp.\(service.rawValue).\(aggregate).\(verb)")
    }

    /// For the catalogue's literals; a typo traps on first use, and the tests touch every entry.
    init(catalogue rawValue: String) {
        do {
            try self.init(rawValue)
        } catch {
            preconditionFailure("Invalid catalogue event type \(rawValue): \(error)")
        }
    }

    /// The CloudEvents `dataschema` of this type's payload at a schema version:
    /// `urn:erp:schema:erp.crm.lead.converted:v1`.
    public func dataSchema(version: Int) -> String {
        "urn:erp:schema:\(rawValue):v\(version)"
    }

    public var description: String { rawValue }

    // Equality and hashing by the string alone: the parts are derived from it.
    public static func == (lhs: EventType, rhs: EventType) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
    public static func < (lhs: EventType, rhs: EventType) -> Bool { lhs.rawValue < rhs.rawValue }

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
