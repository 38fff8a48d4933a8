import Foundation

/// A domain event as published to Kafka: CloudEvents 1.0 attributes in JSON structured mode,
/// with the payload under `data`.
///
/// ```json
/// {"data":{…},"datacontenttype":"application/json","dataschema":"urn:erp:schema:erp.crm.lead.converted:v1",
///  "id":"…","source":"/erp/crm","specversion":"1.0","subject":"<aggregate id>","tenantid":"…",
///  "time":"2026-11-21T04:40:51.123Z","traceparent":"00-…","type":"erp.crm.lead.converted"}
/// ```
///
/// - `source` is `/erp/<service>` (a URI reference, as CloudEvents asks), always the service
///   in `type`; `id` is unique per source, so `id` alone is what consumers deduplicate on.
/// - `subject` is the aggregate id; with `tenantid` it forms the Kafka key (``EventKey``).
/// - `dataschema` versions the payload: `urn:erp:schema:<type>:v<version>`. A breaking payload
///   change publishes a new version; consumers route on `type` + ``schemaVersion``.
/// - `traceparent` is the W3C trace context of the request that caused the event, omitted
///   when there is none.
///
/// JSON attribute names are CloudEvents' (lowercase); the Swift properties use Swift names.
/// Consumers that don't know the payload type yet decode ``EventEnvelopeHeader`` first.
public struct EventEnvelope<Payload: Codable & Sendable>: Codable, Sendable {
    /// The CloudEvents version this envelope implements.
    public static var specVersion: String { "1.0" }
    /// The only payload encoding the suite publishes.
    public static var jsonContentType: String { "application/json" }

    /// Unique event id; consumers record it to handle each event once.
    public var id: EventID
    /// The producing service as a URI reference, `/erp/<service>`.
    public var source: String
    /// What happened.
    public var type: EventType
    /// Always `"1.0"`.
    public var specVersion: String
    /// When it happened (the state change's commit time, millisecond precision).
    public var time: Date
    /// The aggregate's id.
    public var subject: String
    /// The tenant the aggregate belongs to.
    public var tenantID: TenantID
    /// `urn:erp:schema:<type>:v<version>`.
    public var dataSchema: String
    /// Always `"application/json"`.
    public var dataContentType: String
    /// W3C `traceparent` of the causing request, if any.
    public var traceparent: String?
    /// The event payload.
    public var data: Payload

    enum CodingKeys: String, CodingKey {
        case id, source, type, time, subject, traceparent, data
        case specVersion = "specversion"
        case tenantID = "tenantid"
        case dataSchema = "dataschema"
        case dataContentType = "datacontenttype"
    }

    /// Every attribute as given; prefer the convenience initializer when producing.
    public init(
        id: EventID, source: String, type: EventType, specVersion: String, time: Date, subject: String,
        tenantID: TenantID, dataSchema: String, dataContentType: String, traceparent: String?, data: Payload
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
        self.data = data
    }

    /// A new event: fills `source` from the type's service, `specversion`, `datacontenttype`
    /// and `dataschema` from `type` + `schemaVersion`; a random `id` and the current time
    /// unless given. `time` is rounded to whole milliseconds so the envelope equals itself after
    /// a trip over the wire.
    public init(
        type: EventType, tenantID: TenantID, subject: String, data: Payload, schemaVersion: Int = 1,
        traceparent: String? = nil, id: EventID = .random(), time: Date = Date()
    ) {
        self.init(
            id: id, source: EventEnvelopeHeader.source(for: type.service), type: type,
            specVersion: Self.specVersion, time: EventEnvelopeHeader.millisecondPrecision(time), subject: subject,
            tenantID: tenantID, dataSchema: type.dataSchema(version: schemaVersion),
            dataContentType: Self.jsonContentType, traceparent: traceparent, data: data
        )
    }

    /// A new event about an aggregate with a typed id (see the other convenience initializer).
    public init<Tag>(
        type: EventType, tenantID: TenantID, aggregateID: Identifier<Tag>, data: Payload, schemaVersion: Int = 1,
        traceparent: String? = nil, id: EventID = .random(), time: Date = Date()
    ) {
        self.init(
            type: type, tenantID: tenantID, subject: aggregateID.description, data: data,
            schemaVersion: schemaVersion, traceparent: traceparent, id: id, time: time
        )
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let header = try EventEnvelopeHeader(from: decoder)
        self.init(header: header, data: try container.decode(Payload.self, forKey: .data))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(source, forKey: .source)
        try container.encode(type, forKey: .type)
        try container.encode(specVersion, forKey: .specVersion)
        try container.encode(time, forKey: .time)
        try container.encode(subject, forKey: .subject)
        try container.encode(tenantID, forKey: .tenantID)
        try container.encode(dataSchema, forKey: .dataSchema)
        try container.encode(dataContentType, forKey: .dataContentType)
        try container.encodeIfPresent(traceparent, forKey: .traceparent)
        try container.encode(data, forKey: .data)
    }

    /// Rebuilds an envelope from routed attributes and a decoded payload.
    public init(header: EventEnvelopeHeader, data: Payload) {
        self.init(
            id: header.id, source: header.source, type: header.type, specVersion: header.specVersion,
            time: header.time, subject: header.subject, tenantID: header.tenantID, dataSchema: header.dataSchema,
            dataContentType: header.dataContentType, traceparent: header.traceparent, data: data
        )
    }

    /// The attributes without the payload.
    public var header: EventEnvelopeHeader {
        EventEnvelopeHeader(
            id: id, source: source, type: type, specVersion: specVersion, time: time, subject: subject,
            tenantID: tenantID, dataSchema: dataSchema, dataContentType: dataContentType, traceparent: traceparent
        )
    }

    /// The payload schema version parsed from `dataSchema`, `nil` if it is not ours.
    public var schemaVersion: Int? { header.schemaVersion }

    /// The Kafka message key (tenant + aggregate).
    public var key: EventKey { EventKey(tenantID: tenantID, aggregateID: subject) }

    /// The topic to publish to: the producing service's events topic.
    public var topic: String { EventTopic.events(for: type) }

    /// The same event with its payload transformed (e.g. typed ⇄ ``JSONValue``).
    public func mapData<NewPayload: Codable & Sendable>(
        _ transform: (Payload) throws -> NewPayload
    ) rethrows -> EventEnvelope<NewPayload> {
        EventEnvelope<NewPayload>(header: header, data: try transform(data))
    }
}

extension EventEnvelope: Equatable where Payload: Equatable {}
extension EventEnvelope: Hashable where Payload: Hashable {}
