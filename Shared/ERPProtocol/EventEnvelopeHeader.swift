import Foundation

/// An ``EventEnvelope``'s attributes without `data`.
///
/// Decodes from the full envelope JSON (the payload is skipped), so a consumer reads the
/// header, routes on ``type`` and ``schemaVersion``, then decodes
/// `EventEnvelope<SpecificPayload>` from the same bytes. Decoding rejects any
/// `specversion` other than `1.0`.
public struct EventEnvelopeHeader: Hashable, Sendable, Codable {
    /// Unique event id (JSON `id`).
    public var id: EventID
    /// `/erp/<service>` (JSON `source`).
    public var source: String
    /// What happened (JSON `type`).
    public var type: EventType
    /// `"1.0"` (JSON `specversion`).
    public var specVersion: String
    /// When it happened (JSON `time`).
    public var time: Date
    /// The aggregate id (JSON `subject`).
    public var subject: String
    /// The owning tenant (JSON `tenantid`).
    public var tenantID: TenantID
    /// `urn:erp:schema:<type>:v<version>` (JSON `dataschema`).
    public var dataSchema: String
    /// `"application/json"` (JSON `datacontenttype`).
    public var dataContentType: String
    /// W3C trace context of the causing request (JSON `traceparent`), if any.
    public var traceparent: String?

    enum CodingKeys: String, CodingKey {
        case id, source, type, time, subject, traceparent
        case specVersion = "specversion"
        case tenantID = "tenantid"
        case dataSchema = "dataschema"
        case dataContentType = "datacontenttype"
    }

    /// Every attribute as given.
    public init(
        id: EventID, source: String, type: EventType, specVersion: String, time: Date, subject: String,
        tenantID: TenantID, dataSchema: String, dataContentType: String, traceparent: String?
    ) {
        self.id = id
        self.source = source
        self.type = type
        self.specVersion = specVersion
        self.time = time
        self.subject = subject
        self.tenantID = tenantID
        self.dataSchema = dataSchema
        self.dataContentType = dataContentType
        self.traceparent = traceparent
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        specVersion = try container.decode(String.self, forKey: .specVersion)
        // A different major version may move or rename attributes: refuse rather than misread.
        guard specVersion == "1.0" else {
            throw DecodingError.dataCorruptedError(
                forKey: .specVersion, in: container, debugDescription: "Only CloudEvents 1.0 is supported")
        }
        id = try container.decode(EventID.self, forKey: .id)
        source = try container.decode(String.self, forKey: .source)
        type = try container.decode(EventType.self, forKey: .type)
        time = try container.decode(Date.self, forKey: .time)
        subject = try container.decode(String.self, forKey: .subject)
        tenantID = try container.decode(TenantID.self, forKey: .tenantID)
        dataSchema = try container.decode(String.self, forKey: .dataSchema)
        dataContentType = try container.decode(String.self, forKey: .dataContentType)
        traceparent = try container.decodeIfPresent(String.self, forKey: .traceparent)
    }

    /// The payload schema version from `urn:erp:schema:<type>:v<version>`; `nil` when the
    /// schema is not in that form or names a different type.
    public var schemaVersion: Int? {
        let prefix = "urn:erp:schema:\(type.rawValue):v"
        guard dataSchema.hasPrefix(prefix) else { return nil }
        let digits = dataSchema.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let version = Int(digits), version > 0 else {
            return nil
        }
        return version
    }

    /// The Kafka message key (tenant + aggregate).
    public var key: EventKey { EventKey(tenantID: tenantID, aggregateID: subject) }

    /// The CloudEvents `source` of events produced by `service`: `/erp/<service>`.
    public static func source(for service: ServiceName) -> String {
        "/erp/\(service.rawValue)"
    }

    /// `date` rounded to whole milliseconds, the precision of the wire format.
    static func millisecondPrecision(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}
