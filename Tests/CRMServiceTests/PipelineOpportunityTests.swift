import ERPProtocol
import Foundation
import HTTPTypes
import Testing

@testable import CRMService

@Suite("CRM: pipelines and opportunities")
struct PipelineOpportunityTests {
    @Test("the default pipeline is seeded once, on first use or from erp.auth.organization.created")
    func defaultPipeline() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let first = try await harness.send(.get, "/v1/pipelines", token: tenant.token).decoded(PipelineController.PipelineList.self)
            let again = try await harness.send(.get, "/v1/pipelines", token: tenant.token).decoded(PipelineController.PipelineList.self)
            #expect(first.items.count == 1)
            #expect(again.items.map(\.id) == first.items.map(\.id))
            let sales = try #require(first.items.first)
            #expect(sales.isDefault)
            #expect(sales.stages.map(\.probability) == [10, 25, 50, 75, 100, 0])
            #expect(sales.stages.map(\.kind) == [.open, .open, .open, .open, .won, .lost])

            let other = try harness.tenant()
            let created = EventEnvelope(
                type: EventType.Auth.organizationCreated, tenantID: other.id, subject: other.id.description,
                data: OrganizationCreated(
                    organizationId: other.id, name: "Other", slug: "other", ownerUserId: other.user, ownerEmail: "o@example.com", ownerName: "O",
                    requestedPlan: "free", locale: "en"))
            #expect(try await harness.deliver(created) == .handled)
            #expect(try await harness.deliver(created) == .duplicate)
            let seeded = try await harness.send(.get, "/v1/pipelines", token: other.token).decoded(PipelineController.PipelineList.self)
            #expect(seeded.items.count == 1)
            #expect(try await harness.eventTypes(other.id) == ["erp.crm.pipeline.created"])
        }
    }

    @Test("pipelines validate their stages; a removed stage holding opportunities is refused")
    func pipelineStages() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let invalid = try await harness.send(.post, "/v1/pipelines", token: tenant.token, json: """
                {"name":"Broken","stages":[{"name":"Won","kind":"won"},{"name":"Open","probability":120},{"name":"Lost","kind":"lost","probability":5}]}
                """)
            #expect(invalid.status.code == 422)
            let fields = Set(invalid.problem?.errors?.map(\.field) ?? [])
            #expect(fields.isSuperset(of: ["stages.1.probability", "stages.1.kind", "stages.2.probability"]))
            let created = try await harness.create("/v1/pipelines", tenant, json: """
                {"name":"Renewals","isDefault":true,"stages":[{"name":"Due","probability":40},{"name":"Quoted","probability":70},
                 {"name":"Renewed","kind":"won"},{"name":"Churned","kind":"lost"}]}
                """, as: PipelineResponse.self)
            #expect(created.isDefault)
            let list = try await harness.send(.get, "/v1/pipelines", token: tenant.token).decoded(PipelineController.PipelineList.self)
            #expect(list.items.map(\.name) == ["Renewals", "Sales"])
            #expect(list.items.filter(\.isDefault).count == 1)

            let due = created.stages[0], quoted = created.stages[1]
            let opportunity = try await harness.create("/v1/opportunities", tenant, json: """
                {"name":"ACME renewal","amount":{"amountMinor":1200000,"currency":"USD"},"pipelineId":"\(created.id.lowercased)","stageId":"\(quoted.id.lowercased)"}
                """, as: OpportunityResponse.self)
            #expect(opportunity.probability == 70)
            let path = "/v1/pipelines/\(created.id.lowercased)"
            let dropQuoted = try await harness.send(.patch, path, token: tenant.token, json: """
                {"stages":[{"id":"\(due.id.lowercased)","name":"Due"},{"name":"Renewed","kind":"won"},{"name":"Churned","kind":"lost"}]}
                """, headers: .ifMatch(created.version.etag))
            #expect(dropQuoted.problemCode == "stage_in_use")
            let reordered = try await harness.send(.patch, path, token: tenant.token, json: """
                {"name":"Renewals 2026","stages":[{"id":"\(quoted.id.lowercased)","name":"Quoted","probability":65},{"id":"\(due.id.lowercased)","name":"Due soon"},
                 {"id":"\(created.stages[2].id.lowercased)","name":"Renewed","kind":"won"},{"id":"\(created.stages[3].id.lowercased)","name":"Churned","kind":"lost"}]}
                """, headers: .ifMatch(created.version.etag))
            #expect(reordered.status == .ok, "\(reordered.text)")
            let after = try reordered.decoded(PipelineResponse.self)
            #expect(after.stages.map(\.name) == ["Quoted", "Due soon", "Renewed", "Churned"])
            #expect(after.stages.map(\.position) == [0, 1, 2, 3])
            #expect(try await harness.send(.delete, path, token: tenant.token).problemCode == "default_pipeline_required")
            let sales = try #require(list.items.first { $0.name == "Sales" })
            #expect(try await harness.send(.delete, "/v1/pipelines/\(sales.id.lowercased)", token: tenant.token).status == .noContent)
            #expect(try await harness.eventTypes(tenant.id).contains("erp.crm.pipeline.deleted"))
        }
    }

    @Test("opportunities move through stages with history (who/when), close as won or lost with a reason, and reopen")
    func lifecycle() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let company = try await harness.create("/v1/companies", tenant, json: #"{"name":"Buyer"}"#, as: CompanyResponse.self)
            let opportunity = try await harness.create("/v1/opportunities", tenant, json: """
                {"name":"Big deal","amount":{"amountMinor":2500000,"currency":"JPY"},"expectedCloseDate":"2026-06-30","companyId":"\(company.id.lowercased)"}
                """, as: OpportunityResponse.self)
            #expect(opportunity.stageName == "Prospecting")
            #expect(opportunity.amount.currency.rawValue == "JPY")
            let pipeline = try await harness.send(.get, "/v1/pipelines/\(opportunity.pipelineId.lowercased)", token: tenant.token).decoded(PipelineResponse.self)
            let path = "/v1/opportunities/\(opportunity.id.lowercased)"
            let won = pipeline.stages.first { $0.kind == .won }!
            let toWon = try await harness.send(.post, "\(path)/stage", token: tenant.token, json: #"{"stageId":"\#(won.id.lowercased)"}"#)
            #expect(toWon.status.code == 422)
            let proposal = pipeline.stages[2]
            let moved = try await harness.send(.post, "\(path)/stage", token: tenant.token, json: #"{"stageId":"\#(proposal.id.lowercased)"}"#)
            #expect(try moved.decoded(OpportunityResponse.self).probability == 50)
            let lostWithoutReason = try await harness.send(.post, "\(path)/lost", token: tenant.token, json: "{}")
            #expect(lostWithoutReason.problem?.errors?.first?.field == "reason")
            let lost = try await harness.send(.post, "\(path)/lost", token: tenant.token, json: #"{"reason":"Price"}"#).decoded(OpportunityResponse.self)
            #expect(lost.status == .lost)
            #expect(lost.closeReason == "Price")
            #expect(lost.closedAt != nil)
            #expect(try await harness.send(.post, "\(path)/stage", token: tenant.token, json: #"{"stageId":"\#(proposal.id.lowercased)"}"#).problemCode == "opportunity_closed")
            let reopened = try await harness.send(.post, "\(path)/reopen", token: tenant.token, json: "{}").decoded(OpportunityResponse.self)
            #expect(reopened.stageId == proposal.id)
            #expect(reopened.status == .open)
            let closedWon = try await harness.send(.post, "\(path)/won", token: tenant.token, json: #"{"reason":"Best fit"}"#).decoded(OpportunityResponse.self)
            #expect(closedWon.status == .won)
            #expect(closedWon.probability == 100)

            let history = try await harness.send(.get, "\(path)/stage-history", token: tenant.token).decoded(OpportunityController.StageHistory.self)
            #expect(history.items.map(\.toStageName) == ["Prospecting", "Proposal", "Closed lost", "Proposal", "Closed won"])
            #expect(history.items.first?.fromStageId == nil)
            #expect(history.items.allSatisfy { $0.changedBy == tenant.user.description })
            #expect(zip(history.items, history.items.dropFirst()).allSatisfy { $0.changedAt <= $1.changedAt })

            let types = try await harness.eventTypes(tenant.id).filter { $0.hasPrefix("erp.crm.opportunity.") }
            #expect(types == [
                "erp.crm.opportunity.created", "erp.crm.opportunity.stage_changed", "erp.crm.opportunity.stage_changed", "erp.crm.opportunity.lost",
                "erp.crm.opportunity.stage_changed", "erp.crm.opportunity.stage_changed", "erp.crm.opportunity.won",
            ])
            let closed = try await harness.events(EventType.CRM.opportunityWon, tenant.id, as: OpportunityClosed.self)
            #expect(closed.first?.data.amount == Money(amountMinor: 2_500_000, currency: CurrencyCode("JPY")!))
            #expect(closed.first?.data.companyId == company.id)
        }
    }

    @Test("opportunity validation, edits with If-Match and list filters")
    func editsAndFilters() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let invalid = try await harness.send(.post, "/v1/opportunities", token: tenant.token, json: """
                {"name":"","amount":{"amountMinor":-5,"currency":"EUR"},"companyId":"\(UUID().lowercased)"}
                """)
            #expect(Set(invalid.problem?.errors?.map(\.field) ?? []) == ["name", "amount.amountMinor"])
            let badCurrency = try await harness.send(.post, "/v1/opportunities", token: tenant.token, json: #"{"name":"x","amount":{"amountMinor":5,"currency":"EURO"}}"#)
            #expect(badCurrency.status.code == 422)
            let noCompany = try await harness.send(.post, "/v1/opportunities", token: tenant.token, json: """
                {"name":"x","amount":{"amountMinor":5,"currency":"EUR"},"companyId":"\(UUID().lowercased)"}
                """)
            #expect(noCompany.problem?.errors?.first?.field == "companyId")
            for (name, amount, date) in [("Small", 1000, "2026-03-01"), ("Medium", 50000, "2026-04-15"), ("Large", 900000, "2026-02-01")] {
                _ = try await harness.create("/v1/opportunities", tenant, json: """
                    {"name":"\(name)","amount":{"amountMinor":\(amount),"currency":"EUR"},"expectedCloseDate":"\(date)"}
                    """, as: OpportunityResponse.self)
            }
            func names(_ query: String) async throws -> [String] {
                try await harness.send(.get, "/v1/opportunities?\(query)", token: tenant.token).decoded(Page<OpportunityResponse>.self).items.map(\.name)
            }
            #expect(try await names("sort=-amount") == ["Large", "Medium", "Small"])
            #expect(try await names("sort=expectedCloseDate") == ["Large", "Small", "Medium"])
            #expect(try await names("minAmount=2000&sort=amount") == ["Medium", "Large"])
            #expect(try await names("closeFrom=2026-03-01&closeTo=2026-03-31") == ["Small"])
            let page = try await harness.send(.get, "/v1/opportunities?sort=amount&limit=1", token: tenant.token).decoded(Page<OpportunityResponse>.self)
            let small = try #require(page.items.first)
            let patched = try await harness.send(
                .patch, "/v1/opportunities/\(small.id.lowercased)", token: tenant.token, json: #"{"amount":{"amountMinor":1500,"currency":"EUR"},"expectedCloseDate":null}"#,
                headers: .ifMatch(small.version.etag))
            #expect(patched.status == .ok)
            let after = try patched.decoded(OpportunityResponse.self)
            #expect(after.amount.amountMinor == 1500)
            #expect(after.expectedCloseDate == nil)
            #expect(try await names("sort=expectedCloseDate") == ["Large", "Medium", "Small"])
        }
    }
}
