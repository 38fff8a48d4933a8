import Foundation
import Testing

import ERPProtocol

@Suite("EventType, topics and keys")
struct EventTypeTests {
    @Test("parses the four segments")
    func parsesParts() throws {
        let type = try EventType("erp.inventory.purchase_order.approved")
        #expect(type.service == .inventory)
        #expect(type.aggregate == "purchase_order")
        #expect(type.verb == "approved")
        #expect(type.description == "erp.inventory.purchase_order.approved")
        #expect(try EventType(service: .crm, aggregate: "lead", verb: "converted") == EventType.CRM.leadConverted)
    }

    @Test(
        "rejects malformed event types",
        arguments: [
            ("erp.crm.lead", EventType.ValidationError.notFourSegments),
            ("erp.crm.lead.converted.v2", .notFourSegments),
            ("acme.crm.lead.converted", .notFourSegments),
            ("erp.crm..converted", .invalidSegment),
            ("erp.crm.Lead.converted", .invalidSegment),
            ("erp.crm.lead.converted ", .invalidSegment),
            ("erp.crm.lead-x.converted", .invalidSegment),
            ("erp.crm.2lead.converted", .invalidSegment),
            ("erp.crm.lead_.converted", .invalidSegment),
            ("erp.crm.lead__x.converted", .invalidSegment),
            ("erp.billing.invoice.issued", .unknownService),
        ])
    func rejectsBadStrings(text: String, expected: EventType.ValidationError) {
        #expect(throws: expected) { try EventType(text) }
        #expect(EventType(rawValue: text) == nil)
    }

    @Test("accepts digits and single underscores inside segments")
    func acceptsDigitsAndUnderscores() throws {
        #expect(try EventType("erp.ai.model_v2.retrained").aggregate == "model_v2")
    }

    @Test("every catalogue constant is valid, unique and names its own service")
    func catalogueIsValid() throws {
        #expect(EventType.catalogue.count == 107)
        #expect(Set(EventType.catalogue).count == EventType.catalogue.count)
        for type in EventType.catalogue {
            #expect(try EventType(type.rawValue) == type)
        }
        let groups: [(ServiceName, [EventType])] = [
            (.auth, EventType.Auth.all), (.subscription, EventType.Subscription.all), (.crm, EventType.CRM.all),
            (.hrm, EventType.HRM.all), (.finance, EventType.Finance.all), (.inventory, EventType.Inventory.all),
            (.project, EventType.Project.all), (.notification, EventType.Notification.all),
            (.file, EventType.File.all), (.ai, EventType.AI.all),
        ]
        for (service, types) in groups {
            #expect(types.allSatisfy { $0.service == service }, "\(service)")
        }
    }

    @Test("spot checks of the catalogue strings")
    func catalogueStrings() {
        #expect(EventType.Auth.organizationCreated.rawValue == "erp.auth.organization.created")
        #expect(EventType.Auth.passwordResetRequested.rawValue == "erp.auth.password_reset.requested")
        #expect(EventType.CRM.opportunityStageChanged.rawValue == "erp.crm.opportunity.stage_changed")
        #expect(EventType.Subscription.subscriptionPastDue.rawValue == "erp.subscription.subscription.past_due")
        #expect(EventType.Inventory.salesOrderFulfilled.rawValue == "erp.inventory.sales_order.fulfilled")
        #expect(EventType.Finance.invoiceIssued != EventType.Subscription.invoiceIssued)
    }

    @Test("encodes as its string and refuses invalid strings when decoding")
    func codable() throws {
        #expect(String(decoding: try ERPJSON.encode([EventType.HRM.leaveApproved]), as: UTF8.self) == #"["erp.hrm.leave.approved"]"#)
        #expect(throws: DecodingError.self) { try ERPJSON.decode([EventType].self, from: Data(#"["erp.hrm.leave"]"#.utf8)) }
    }

    @Test("schema URN, topics and keys")
    func topicsAndKeys() throws {
        #expect(EventType.CRM.leadConverted.dataSchema(version: 2) == "urn:erp:schema:erp.crm.lead.converted:v2")
        #expect(EventTopic.events(for: .crm) == "erp.crm.events")
        #expect(EventTopic.deadLetter(for: .crm) == "erp.crm.deadletter")
        #expect(EventTopic.events(for: EventType.File.fileGenerated) == "erp.file.events")
        let key = EventKey(tenantID: Fixture.tenantID, aggregateID: Fixture.leadID)
        #expect(key.rawValue == "3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6f:7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
        #expect(EventKey(rawValue: key.rawValue) == key)
        #expect(EventKey(rawValue: "not-a-tenant:123") == nil)
        #expect(EventKey(rawValue: "3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6f:") == nil)
        #expect(ServiceName.crm.executableName == "erp-crm")
        #expect(ServiceName.ai.defaultPort == 8090)
        #expect(ServiceName.hrm.urlEnvironmentVariable == "HRM_URL")
    }
}
