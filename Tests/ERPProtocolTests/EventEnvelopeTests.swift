import Foundation
import Testing

import ERPProtocol

@Suite("EventEnvelope")
struct EventEnvelopeTests {
    /// A payload in the style services define theirs.
    struct LeadConverted: Codable, Sendable, Hashable {
        var leadId: Identifier<Fixture.Lead>
        var opportunityId: Identifier<Fixture.Opportunity>
        var convertedBy: UserID
        var expectedValue: Money
    }

    static let payload = LeadConverted(
        leadId: Fixture.leadID, opportunityId: Fixture.opportunityID, convertedBy: Fixture.userID,
        expectedValue: Money(amountMinor: 4516, currency: .eur))

    static let envelope = EventEnvelope(
        type: EventType.CRM.leadConverted, tenantID: Fixture.tenantID, aggregateID: Fixture.leadID, data: payload,
        traceparent: Fixture.traceparent, id: Fixture.eventID, time: Fixture.time)

    @Test("the convenience initializer fills the CloudEvents attributes")
    func convenienceInit() {
        let envelope = Self.envelope
        #expect(envelope.source == "/erp/crm")
        #expect(envelope.specVersion == "1.0")
        #expect(envelope.dataContentType == "application/json")
        #expect(envelope.dataSchema == "urn:erp:schema:erp.crm.lead.converted:v1")
        #expect(envelope.schemaVersion == 1)
        #expect(envelope.subject == "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
        #expect(envelope.topic == "erp.crm.events")
        #expect(envelope.key.rawValue == "3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6f:7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
    }

    @Test("golden: the full envelope")
    func goldenEnvelope() throws {
        try Golden.check(Self.envelope, matches: "event-envelope")
    }

    @Test("golden: the header decodes from the full envelope and encodes without data")
    func goldenHeader() throws {
        let full = Data(try Golden.text("event-envelope").utf8)
        let header = try ERPJSON.decode(EventEnvelopeHeader.self, from: full)
        #expect(header == Self.envelope.header)
        #expect(header.type == EventType.CRM.leadConverted)
        #expect(header.schemaVersion == 1)
        try Golden.check(header, matches: "event-envelope-header")
    }

    @Test("route on the header, then decode the typed envelope from the same bytes")
    func routeThenDecode() throws {
        let bytes = try ERPJSON.encode(Self.envelope)
        let header = try ERPJSON.decode(EventEnvelopeHeader.self, from: bytes)
        try #require(header.type == EventType.CRM.leadConverted)
        let typed = try ERPJSON.decode(EventEnvelope<LeadConverted>.self, from: bytes)
        #expect(typed == Self.envelope)
        #expect(typed.data.expectedValue.amountMinor == 4516)
    }

    @Test("an untyped JSONValue envelope keeps the payload exactly and converts to the typed one")
    func untypedEnvelope() throws {
        let bytes = Data(try Golden.text("event-envelope").utf8)
        let untyped = try ERPJSON.decode(EventEnvelope<JSONValue>.self, from: bytes)
        #expect(untyped.data["expectedValue"]?["amountMinor"] == .integer(4516))
        #expect(untyped.data["leadId"]?.stringValue == Fixture.leadID.description)
        // Re-encoding the untyped envelope reproduces the producer's bytes.
        #expect(String(decoding: try ERPJSON.encode(untyped), as: UTF8.self) == (try Golden.text("event-envelope")))
        let typed = try untyped.mapData { try $0.decode(LeadConverted.self) }
        #expect(typed == Self.envelope)
    }

    @Test("the convenience initializer rounds time to milliseconds, so a round trip is lossless")
    func timeRoundTrip() throws {
        let envelope = EventEnvelope(
            type: EventType.Auth.userCreated, tenantID: Fixture.tenantID, subject: "x", data: JSONValue.null,
            time: Date(timeIntervalSince1970: 1_795_236_051.123_456_7))
        #expect(envelope.traceparent == nil)
        let bytes = try ERPJSON.encode(envelope)
        #expect(!String(decoding: bytes, as: UTF8.self).contains("traceparent"))
        #expect(try ERPJSON.decode(EventEnvelope<JSONValue>.self, from: bytes) == envelope)
    }

    @Test("refuses a different CloudEvents spec version and a malformed type")
    func rejectsOtherSpecVersions() throws {
        let golden = try Golden.text("event-envelope")
        for broken in [
            golden.replacingOccurrences(of: #""specversion":"1.0""#, with: #""specversion":"2.0""#),
            golden.replacingOccurrences(of: #""type":"erp.crm.lead.converted""#, with: #""type":"lead.converted""#),
            golden.replacingOccurrences(of: #""tenantid":"3f2b8c1e"#, with: #""tenantid":"xxxxxxxx"#),
        ] {
            #expect(broken != golden)
            #expect(throws: DecodingError.self) { try ERPJSON.decode(EventEnvelopeHeader.self, from: Data(broken.utf8)) }
        }
    }

    @Test("schemaVersion is nil for a schema URN of another type or form")
    func schemaVersionParsing() {
        var header = Self.envelope.header
        header.dataSchema = "urn:erp:schema:erp.crm.lead.converted:v12"
        #expect(header.schemaVersion == 12)
        header.dataSchema = "urn:erp:schema:erp.crm.lead.created:v1"
        #expect(header.schemaVersion == nil)
        header.dataSchema = "urn:erp:schema:erp.crm.lead.converted:vx"
        #expect(header.schemaVersion == nil)
    }
}
