import ERPPostgres
import ERPProtocol
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import CRMService

@Suite("CRM: opportunities CSV import")
struct OpportunityImportTests {
    static let header = "name,amount,currency,pipeline,stage,expectedCloseDate,companyDomain,contactEmail,ownerId,description,tags,status,closeReason"

    static let enterprise = """
        {"name":"Enterprise","stages":[{"name":"Discovery","probability":20},{"name":"Demo","probability":60},
         {"name":"Signed","kind":"won"},{"name":"Dropped","kind":"lost"}]}
        """

    func importCSV(_ harness: CRMHarness, _ tenant: TestTenant, _ csv: String) async throws -> TestResponse {
        try await harness.send(.post, "/v1/imports/opportunities", token: tenant.token, body: csv, contentType: "text/csv")
    }

    /// Acme and Globex, Ada at Acme, and an "Enterprise" pipeline besides the default one.
    func seed(_ harness: CRMHarness, _ tenant: TestTenant) async throws -> (acme: UUID, globex: UUID, ada: UUID, enterprise: PipelineResponse) {
        let acme = try await harness.create("/v1/companies", tenant, json: #"{"name":"Acme","domain":"acme.com"}"#, as: CompanyResponse.self).id
        let globex = try await harness.create("/v1/companies", tenant, json: #"{"name":"Globex","domain":"globex.com"}"#, as: CompanyResponse.self).id
        let ada = try await harness.create("/v1/contacts", tenant, json: #"{"lastName":"Lovelace","email":"ada@acme.com"}"#, as: ContactResponse.self).id
        let enterprise = try await harness.create("/v1/pipelines", tenant, json: Self.enterprise, as: PipelineResponse.self)
        return (acme, globex, ada, enterprise)
    }

    /// The types of the events about `opportunity`, oldest first.
    func eventTypes(_ harness: CRMHarness, _ tenant: TestTenant, about opportunity: UUID) async throws -> [String] {
        try await harness.pool.query(
            "SELECT event_type FROM outbox WHERE tenant_id = \(tenant.id.uuid) AND lower(convert_from(payload, 'UTF8')::jsonb ->> 'subject') = \(opportunity.lowercased) ORDER BY id"
        ).map { try $0.decode(String.self, at: 0) }
    }

    @Test("a good file creates every row in its pipeline and stage, linked, with the events and stage history of the API")
    func importsRows() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let (acme, globex, ada, enterprise) = try await seed(harness, tenant)
            let owner = try await harness.member(tenant.id)
            let csv = [
                Self.header,
                "Big deal,1234.56,usd,Enterprise,demo,2026-09-30,acme.com,ADA@acme.com,\(owner),Renewal,vip;q3,,",
                "Default,99,EUR,,,,globex.com,,,,,open,",
                "Old win,500,USD,\(enterprise.id.lowercased),Signed,2024-01-31,acme.com,,,,,won,",
                "Old loss,700.5,USD,sales,Closed lost,,globex.com,,,,,lost,Price",
            ].joined(separator: "\n")
            let response = try await importCSV(harness, tenant, csv)
            #expect(response.status == .created, "\(response.text)")
            let result = try response.decoded(DataController.ImportResult.self)
            #expect(result.entity == "opportunities" && result.imported == 4)
            var imported: [OpportunityResponse] = []
            for id in result.ids {
                imported.append(try await harness.send(.get, "/v1/opportunities/\(id.lowercased)", token: tenant.token).decoded(OpportunityResponse.self))
            }
            let sales = try #require(try await harness.send(.get, "/v1/pipelines", token: tenant.token).decoded(Page<PipelineResponse>.self).items.first { $0.isDefault })
            let stage = { (pipeline: PipelineResponse, name: String) in pipeline.stages.first { $0.name == name }!.id }

            #expect(imported.map(\.name) == ["Big deal", "Default", "Old win", "Old loss"])
            #expect(imported.map(\.amount) == [
                Money(amountMinor: 123_456, currency: CurrencyCode("USD")!), Money(amountMinor: 99_00, currency: CurrencyCode("EUR")!),
                Money(amountMinor: 500_00, currency: CurrencyCode("USD")!), Money(amountMinor: 700_50, currency: CurrencyCode("USD")!),
            ])
            #expect(imported.map(\.pipelineId) == [enterprise.id, sales.id, enterprise.id, sales.id])
            #expect(imported.map(\.stageId) == [stage(enterprise, "Demo"), stage(sales, "Prospecting"), stage(enterprise, "Signed"), stage(sales, "Closed lost")])
            #expect(imported.map(\.status) == [.open, .open, .won, .lost])
            #expect(imported.map(\.closeReason) == [nil, nil, nil, "Price"])
            #expect(imported.map(\.companyId) == [acme, globex, acme, globex])
            #expect(imported.map(\.contactId) == [ada, nil, nil, nil])
            #expect(imported.map(\.ownerId) == [owner, tenant.user, tenant.user, tenant.user])
            #expect(imported[0].expectedCloseDate == CalendarDate("2026-09-30") && imported[0].tags == ["q3", "vip"] && imported[0].description == "Renewal")

            // The same events, per opportunity, as opportunities created and closed through the API.
            let viaAPI = try await harness.create("/v1/opportunities", tenant, json: #"{"name":"API","amount":{"amountMinor":1,"currency":"USD"}}"#, as: OpportunityResponse.self)
            #expect(try await harness.send(.post, "/v1/opportunities/\(viaAPI.id.lowercased)/won", token: tenant.token, json: "{}").status == .ok)
            let apiWonEvents = try await eventTypes(harness, tenant, about: viaAPI.id)
            #expect(apiWonEvents == ["erp.crm.opportunity.created", "erp.crm.opportunity.stage_changed", "erp.crm.opportunity.won"])
            #expect(try await eventTypes(harness, tenant, about: imported[0].id) == ["erp.crm.opportunity.created"])
            #expect(try await eventTypes(harness, tenant, about: imported[2].id) == apiWonEvents)
            #expect(try await eventTypes(harness, tenant, about: imported[3].id) == ["erp.crm.opportunity.created", "erp.crm.opportunity.stage_changed", "erp.crm.opportunity.lost"])
            let history = try await harness.pool.withTenantTransaction(tenant: tenant.id.uuid) { connection in
                try await connection.query("SELECT opportunity_id, to_stage_id FROM opportunity_stage_history ORDER BY changed_at, sequence").map {
                    (try $0.decode(UUID.self, at: 0), try $0.decode(UUID.self, at: 1))
                }
            }
            let stages = { (id: UUID) in history.filter { $0.0 == id }.map(\.1) }
            #expect(stages(imported[0].id) == [stage(enterprise, "Demo")])
            #expect(stages(imported[2].id) == [stage(enterprise, "Discovery"), stage(enterprise, "Signed")])
            #expect(stages(imported[3].id) == [stage(sales, "Prospecting"), stage(sales, "Closed lost")])
        }
    }

    @Test("a file with one bad row imports nothing and names exactly that row and column", arguments: [
        ("Bad,10,USD,,Nowhere,,,,,,,,", "stage"),
        ("Bad,12.345,USD,,,,,,,,,,", "amount"),
        ("Bad,10,XYZ1,,,,,,,,,,", "currency"),
        ("Bad,10,USD,,,,nowhere.io,,,,,,", "companyDomain"),
        ("Bad,10,USD,,,,,nobody@acme.com,,,,,", "contactEmail"),
        ("Bad,10,USD,,,,,,,,,lost,", "closeReason"),
        ("Bad,10,USD,,,,,,,,,,Too good", "closeReason"),
        ("Bad,10,USD,Unknown pipeline,,,,,,,,,", "pipeline"),
        ("Bad,10,USD,,Proposal,,,,,,,won,", "stage"),
        ("Bad,10,USD,,Closed won,,,,,,,,", "stage"),
        ("Bad,10,USD,,,2026-02-30,,,,,,,", "expectedCloseDate"),
        (",10,USD,,,,,,,,,,", "name"),
        ("Bad,,,,,,,,,,,,", "amount"),
        ("Bad,10,USD,,,,,,me,,,,", "ownerId"),
        ("Bad,10,USD,,,,,,,,,closed,", "status"),
    ])
    func oneBadRow(row: String, column: String) async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            _ = try await seed(harness, tenant)
            let before = try await harness.eventTypes(tenant.id)
            let csv = [Self.header, "Fine,10,USD,Enterprise,Demo,,acme.com,ada@acme.com,,,,,", row, "Also fine,20,USD,,,,,,,,,won,"].joined(separator: "\n")
            let response = try await importCSV(harness, tenant, csv)
            #expect(response.status.code == 422, "\(response.text)")
            #expect(response.problemCode == "import_failed")
            #expect(Set(response.problem?.errors?.map(\.field) ?? []) == ["rows.3.\(column)"], "\(response.text)")
            #expect(response.problem?.detail == "1 of 3 rows have errors; nothing was imported.")
            #expect(try await harness.send(.get, "/v1/opportunities", token: tenant.token).decoded(Page<OpportunityResponse>.self).items.isEmpty)
            #expect(try await harness.eventTypes(tenant.id).filter { $0.hasPrefix("erp.crm.opportunity.") } == before.filter { $0.hasPrefix("erp.crm.opportunity.") })
        }
    }

    @Test("an export of companies, contacts and opportunities imports into another tenant and exports the same")
    func roundTrip() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let (acme, globex, ada, enterprise) = try await seed(harness, tenant)
            func open(_ json: String) async throws -> UUID {
                try await harness.create("/v1/opportunities", tenant, json: json, as: OpportunityResponse.self).id
            }
            _ = try await open("""
                {"name":"Renewal","amount":{"amountMinor":150000,"currency":"USD"},"companyId":"\(acme.lowercased)","contactId":"\(ada.lowercased)",
                 "expectedCloseDate":"2026-11-30","tags":["vip"],"description":"Three seats","pipelineId":"\(enterprise.id.lowercased)",
                 "stageId":"\(enterprise.stages[1].id.lowercased)"}
                """)
            let won = try await open(#"{"name":"Won one","amount":{"amountMinor":2500,"currency":"EUR"},"companyId":"\#(globex.lowercased)"}"#)
            #expect(try await harness.send(.post, "/v1/opportunities/\(won.lowercased)/won", token: tenant.token, json: #"{"reason":"Best fit"}"#).status == .ok)
            let lost = try await open(#"{"name":"Lost one","amount":{"amountMinor":990,"currency":"USD"}}"#)
            #expect(try await harness.send(.post, "/v1/opportunities/\(lost.lowercased)/lost", token: tenant.token, json: #"{"reason":"Budget"}"#).status == .ok)

            let other = try harness.tenant()
            _ = try await harness.create("/v1/pipelines", other, json: Self.enterprise, as: PipelineResponse.self)
            // The exported ownerId column names the first tenant's user: the rows keep that owner
            // where the same person is a member too.
            _ = try await harness.member(other.id, tenant.user)
            for entity in ["companies", "contacts", "opportunities"] {
                let export = try await harness.send(.get, "/v1/exports/\(entity)", token: tenant.token)
                #expect(export.status == .ok)
                let response = try await harness.send(.post, "/v1/imports/\(entity)", token: other.token, body: export.text, contentType: "text/csv")
                #expect(response.status == .created, "\(entity): \(response.text)")
            }
            func importColumns(_ owner: TestTenant) async throws -> [[String]] {
                let rows = try CSV.parse(try await harness.send(.get, "/v1/exports/opportunities?sort=name", token: owner.token).text)
                let header = rows[0]
                let columns = RecordCSV.importColumns[.opportunity]!
                #expect(columns.allSatisfy(header.contains))
                return rows.dropFirst().map { row in columns.map { row[header.firstIndex(of: $0)!] } }
            }
            let original = try await importColumns(tenant)
            #expect(original.count == 3)
            #expect(original.map { $0[4] } == ["Closed lost", "Demo", "Closed won"])
            #expect(try await importColumns(other) == original)
        }
    }
}
