import ERPProtocol
import ERPTestSupport
import Foundation
import Testing

@testable import NotificationService

@Suite("Notification: escalation")
struct EscalationTests {
    static func event(_ type: String, tenant: TenantID, subject: String) throws -> EventEnvelope<JSONValue> {
        EventEnvelope(type: try EventType(type), tenantID: tenant, subject: subject, data: .object(["leaveRequestId": .string(subject)]))
    }

    static func user(_ tenant: TenantID, name: String) -> (UserID, EventEnvelope<UserLifecycleEvent>) {
        let id = UserID.random()
        return (id, EventEnvelope(type: EventType.Auth.userCreated, tenantID: tenant, subject: id.description,
                                  data: UserLifecycleEvent(userId: id, email: NotificationHarness.uniqueEmail(name), name: name, status: "active", roles: ["Manager"])))
    }

    @Test("a leave request without approval notifies the manager after the period, then the next in the chain; a follow-up stops it")
    func escalatesAlongTheChain() async throws {
        try await NotificationHarness.run { harness in
            let organization = try await harness.signUp()
            let (manager, managerCreated) = Self.user(organization.tenant, name: "manager")
            let (director, directorCreated) = Self.user(organization.tenant, name: "director")
            try await harness.deliver(managerCreated)
            try await harness.deliver(directorCreated)
            let token = try harness.token(tenant: organization.tenant)
            let created = try await harness.send(.post, "/v1/escalation-rules", token: token, json: """
                {"triggerEventType":"erp.hrm.leave.requested","resolveEventTypes":["erp.hrm.leave.approved","erp.hrm.leave.rejected"],
                 "afterSeconds":3600,"chain":["\(manager)","\(director)"],"channels":["email"]}
                """)
            #expect(created.status == .created, "\(created.text)")

            #expect(try await harness.deliver(try Self.event("erp.hrm.leave.requested", tenant: organization.tenant, subject: "leave-1")) == .handled)
            #expect(try await harness.deliver(try Self.event("erp.hrm.leave.requested", tenant: organization.tenant, subject: "leave-2")) == .handled)
            harness.clock.advance(seconds: 1800)
            try await harness.sweep()
            #expect(try await harness.deliveries(organization.tenant).filter { $0.eventType == NotificationCatalogue.escalationEventType }.isEmpty)
            // leave-2 is approved in time; leave-1 is not.
            #expect(try await harness.deliver(try Self.event("erp.hrm.leave.approved", tenant: organization.tenant, subject: "leave-2")) == .handled)
            harness.clock.advance(seconds: 1801)
            try await harness.sweep()
            try await harness.sweep()
            var escalated = try await harness.deliveries(organization.tenant).filter { $0.eventType == NotificationCatalogue.escalationEventType }
            #expect(escalated.map(\.userID) == [manager.uuid])
            #expect(escalated.first?.message.subject == "Waiting for action: erp.hrm.leave.requested leave-1")
            #expect(escalated.first?.status == .sent)
            harness.clock.advance(seconds: 3601)
            try await harness.sweep()
            try await harness.sweep()
            escalated = try await harness.deliveries(organization.tenant).filter { $0.eventType == NotificationCatalogue.escalationEventType }
            #expect(Set(escalated.compactMap(\.userID)) == [manager.uuid, director.uuid])
            // The chain is exhausted: nothing more however long it waits.
            harness.clock.advance(seconds: 86_400)
            try await harness.sweep()
            #expect(try await harness.deliveries(organization.tenant).filter { $0.eventType == NotificationCatalogue.escalationEventType }.count == 2)
            let list = try await harness.send(.get, "/v1/escalations", token: token)
            #expect(list.text.contains(#""status":"exhausted""#) && list.text.contains(#""status":"resolved""#))
        }
    }
}
