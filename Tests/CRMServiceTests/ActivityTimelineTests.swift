import ERPProtocol
import Foundation
import HTTPTypes
import Testing

@testable import CRMService

@Suite("CRM: activities and timeline")
struct ActivityTimelineTests {
    typealias ActivityResponse = ActivityController.ActivityResponse

    @Test("calls, emails, meetings, notes and tasks on any record; tasks have due dates and are completed")
    func activities() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let company = try await harness.create("/v1/companies", tenant, json: #"{"name":"Acme"}"#, as: CompanyResponse.self)
            let lead = try await harness.create("/v1/leads", tenant, json: #"{"lastName":"Lead","source":"web"}"#, as: LeadResponse.self)
            let call = try await harness.create("/v1/activities", tenant, json: """
                {"kind":"call","subject":"Intro call","recordType":"company","recordId":"\(company.id.lowercased)","durationMinutes":25,
                 "occurredAt":"2026-03-01T09:00:00Z"}
                """, as: ActivityResponse.self)
            #expect(call.durationMinutes == 25)
            let noteOnLead = try await harness.create("/v1/activities", tenant, json: """
                {"kind":"note","subject":"Met at the fair","recordType":"lead","recordId":"\(lead.id.lowercased)"}
                """, as: ActivityResponse.self)
            #expect(noteOnLead.recordType == .lead)
            let dueOnCall = try await harness.send(.post, "/v1/activities", token: tenant.token, json: """
                {"kind":"call","subject":"x","recordType":"company","recordId":"\(company.id.lowercased)","dueAt":"2026-03-02T00:00:00Z"}
                """)
            #expect(dueOnCall.problem?.errors?.first?.field == "dueAt")
            let unknownRecord = try await harness.send(.post, "/v1/activities", token: tenant.token, json: """
                {"kind":"note","subject":"x","recordType":"contact","recordId":"\(company.id.lowercased)"}
                """)
            #expect(unknownRecord.problem?.errors?.first?.field == "recordId")

            let task = try await harness.create("/v1/activities", tenant, json: """
                {"kind":"task","subject":"Send proposal","recordType":"company","recordId":"\(company.id.lowercased)","dueAt":"2026-03-05T17:00:00Z"}
                """, as: ActivityResponse.self)
            #expect(!task.done)
            let open = try await harness.send(.get, "/v1/activities?kind=task&done=false&dueBefore=2026-03-06T00:00:00Z", token: tenant.token)
                .decoded(Page<ActivityResponse>.self)
            #expect(open.items.map(\.id) == [task.id])
            #expect(try await harness.send(.post, "/v1/activities/\(call.id.lowercased)/complete", token: tenant.token).problemCode == "not_a_task")
            let done = try await harness.send(.post, "/v1/activities/\(task.id.lowercased)/complete", token: tenant.token).decoded(ActivityResponse.self)
            #expect(done.done)
            #expect(done.doneBy == tenant.user.description)
            let reopened = try await harness.send(.patch, "/v1/activities/\(task.id.lowercased)", token: tenant.token, json: #"{"done":false}"#, headers: .ifMatch(done.version.etag))
            #expect(try reopened.decoded(ActivityResponse.self).doneAt == nil)
            let forCompany = try await harness.send(.get, "/v1/activities?recordType=company&recordId=\(company.id.lowercased)&sort=occurredAt", token: tenant.token)
                .decoded(Page<ActivityResponse>.self)
            #expect(forCompany.items.map(\.subject) == ["Intro call", "Send proposal"])
            #expect(try await harness.send(.delete, "/v1/activities/\(noteOnLead.id.lowercased)", token: tenant.token).status == .noContent)
            #expect(try await harness.send(.get, "/v1/activities/\(noteOnLead.id.lowercased)", token: tenant.token).status == .notFound)
            let types = try await harness.eventTypes(tenant.id).filter { $0.hasPrefix("erp.crm.activity.") }
            #expect(types == [
                "erp.crm.activity.logged", "erp.crm.activity.logged", "erp.crm.activity.logged", "erp.crm.activity.completed",
                "erp.crm.activity.updated", "erp.crm.activity.deleted",
            ])
        }
    }

    @Test("a company's timeline shows its activities, its own events and finance's invoice.paid, once, newest first, paginated")
    func timeline() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let company = try await harness.create("/v1/companies", tenant, json: #"{"name":"Acme"}"#, as: CompanyResponse.self)
            _ = try await harness.send(.patch, "/v1/companies/\(company.id.lowercased)", token: tenant.token, json: #"{"industry":"Retail"}"#, headers: .ifMatch("\"1\""))
            _ = try await harness.create("/v1/activities", tenant, json: """
                {"kind":"meeting","subject":"Kick-off","recordType":"company","recordId":"\(company.id.lowercased)"}
                """, as: ActivityResponse.self)
            let paid = EventEnvelope(
                type: EventType.Finance.invoicePaid, tenantID: tenant.id, subject: UUID().lowercased,
                data: FinanceInvoicePaid(
                    invoiceId: UUID(), number: "INV-2026-0042", customerId: UUID(), crmCompanyId: company.id,
                    amount: Money(amountMinor: 4516, currency: CurrencyCode("EUR")!), paidAt: Date()))
            #expect(try await harness.deliver(paid) == .handled)
            #expect(try await harness.deliver(paid) == .duplicate)
            // Another tenant's company id in the payload finds nothing under this tenant's policy.
            let foreign = EventEnvelope(
                type: EventType.Finance.invoicePaid, tenantID: TenantID.random(), subject: UUID().lowercased,
                data: FinanceInvoicePaid(
                    invoiceId: UUID(), number: "INV-X", customerId: UUID(), crmCompanyId: company.id,
                    amount: Money(amountMinor: 1, currency: CurrencyCode("EUR")!), paidAt: Date()))
            #expect(try await harness.deliver(foreign) == .handled)

            let path = "/v1/companies/\(company.id.lowercased)/timeline"
            let all = try await harness.send(.get, path, token: tenant.token).decoded(Page<TimelineController.Item>.self)
            #expect(all.items.map(\.summary) == ["Invoice INV-2026-0042 paid: EUR 45.16", "Meeting: Kick-off", "Updated industry", "Company Acme created"])
            #expect(all.items.first?.event?.source == "finance")
            #expect(all.items.first?.event?.eventId == paid.id.uuid)
            #expect(all.items[1].activity?.kind == .meeting)
            var paged: [String] = []
            var cursor: String?
            repeat {
                let page = try await harness.send(.get, path + "?limit=1" + (cursor.map { "&cursor=\($0)" } ?? ""), token: tenant.token)
                    .decoded(Page<TimelineController.Item>.self)
                paged += page.items.map(\.summary)
                cursor = page.nextCursor?.rawValue
            } while cursor != nil
            #expect(paged == all.items.map(\.summary))
            #expect(try await harness.send(.get, "/v1/contacts/\(company.id.lowercased)/timeline", token: tenant.token).status == .notFound)
            let other = try harness.tenant()
            #expect(try await harness.send(.get, path, token: other.token).status == .notFound)
        }
    }

    @Test("merging contacts moves activities and timeline to the survivor")
    func mergeMovesTimeline() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let survivor = try await harness.create("/v1/contacts", tenant, json: #"{"lastName":"Keep"}"#, as: ContactResponse.self)
            let duplicate = try await harness.create("/v1/contacts", tenant, json: #"{"lastName":"Dup"}"#, as: ContactResponse.self)
            _ = try await harness.create("/v1/activities", tenant, json: """
                {"kind":"email","subject":"Hello","recordType":"contact","recordId":"\(duplicate.id.lowercased)"}
                """, as: ActivityResponse.self)
            let opportunity = try await harness.create("/v1/opportunities", tenant, json: """
                {"name":"Deal","amount":{"amountMinor":100,"currency":"USD"},"contactId":"\(duplicate.id.lowercased)"}
                """, as: OpportunityResponse.self)
            let merged = try await harness.send(
                .post, "/v1/contacts/\(survivor.id.lowercased)/merge", token: tenant.token, json: #"{"duplicateId":"\#(duplicate.id.lowercased)"}"#,
                headers: .ifMatch("\"1\""))
            #expect(merged.status == .ok)
            let timeline = try await harness.send(.get, "/v1/contacts/\(survivor.id.lowercased)/timeline", token: tenant.token)
                .decoded(Page<TimelineController.Item>.self).items.map(\.summary)
            #expect(timeline.contains("Email: Hello"))
            #expect(timeline.contains("Contact Dup created"))
            #expect(timeline.contains("Merged Dup into this contact"))
            let moved = try await harness.send(.get, "/v1/opportunities/\(opportunity.id.lowercased)", token: tenant.token).decoded(OpportunityResponse.self)
            #expect(moved.contactId == survivor.id)
        }
    }
}
