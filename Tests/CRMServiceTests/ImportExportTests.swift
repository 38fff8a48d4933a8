import ERPProtocol
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import CRMService

@Suite("CRM: CSV import and export")
struct ImportExportTests {
    func importCSV(_ harness: CRMHarness, _ tenant: TestTenant, _ entity: String, _ csv: String) async throws -> TestResponse {
        try await harness.send(.post, "/v1/imports/\(entity)", token: tenant.token, body: csv, contentType: "text/csv")
    }

    @Test("one bad row imports nothing and the problem names every bad row and column")
    func allOrNothing() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            _ = try await harness.send(.post, "/v1/custom-fields", token: tenant.token, json: #"{"entity":"contact","key":"seats","label":"Seats","type":"integer"}"#)
            _ = try await harness.create("/v1/companies", tenant, json: #"{"name":"Acme","domain":"acme.com"}"#, as: CompanyResponse.self)
            _ = try await harness.create("/v1/contacts", tenant, json: #"{"lastName":"Existing","email":"taken@acme.com"}"#, as: ContactResponse.self)
            let before = try await harness.eventTypes(tenant.id)
            let bad = """
                firstName,lastName,email,tags,companyDomain,companyRole,custom.seats
                Ada,Lovelace,ada@acme.com,vip;math,acme.com,Engineer,5
                Bob,Broken,not-an-email,,,,
                Cy,Clash,TAKEN@acme.com,,nowhere.io,,many
                Di,Double,ada@ACME.com,,,,3
                """
            let response = try await importCSV(harness, tenant, "contacts", bad)
            #expect(response.status.code == 422)
            #expect(response.problemCode == "import_failed")
            #expect(response.problem?.detail == "3 of 4 rows have errors; nothing was imported.")
            let fields = Set(response.problem?.errors?.map(\.field) ?? [])
            #expect(fields == ["rows.3.email", "rows.4.email", "rows.4.companyDomain", "rows.4.custom.seats", "rows.5.email"])
            #expect(response.problem?.errors?.first { $0.field == "rows.5.email" }?.message == "Row 2 has the same email.")
            #expect(try await harness.eventTypes(tenant.id) == before)
            #expect(try await harness.send(.get, "/v1/contacts", token: tenant.token).decoded(Page<ContactResponse>.self).items.count == 1)

            let good = [
                "firstName,lastName,email,tags,companyDomain,companyRole,custom.seats",
                "Ada,Lovelace,ada@acme.com,vip;math,acme.com,Engineer,5",
                #""Grace ""Amazing""",Hopper,grace@navy.mil,,,,"#,
            ].joined(separator: "\r\n") + "\r\n"
            let imported = try await importCSV(harness, tenant, "contacts", good)
            #expect(imported.status == .created, "\(imported.text)")
            let result = try imported.decoded(DataController.ImportResult.self)
            #expect(result.imported == 2)
            let ada = try await harness.send(.get, "/v1/contacts/\(result.ids[0].lowercased)", token: tenant.token).decoded(ContactResponse.self)
            #expect(ada.tags == ["math", "vip"])
            #expect(ada.companies?.first?.role == "Engineer")
            #expect(ada.customFields["seats"] == .integer(5))
            let grace = try await harness.send(.get, "/v1/contacts/\(result.ids[1].lowercased)", token: tenant.token).decoded(ContactResponse.self)
            #expect(grace.firstName == "Grace \"Amazing\"")
            #expect(try await harness.eventTypes(tenant.id).filter { $0 == "erp.crm.contact.created" }.count == 3)
        }
    }

    @Test("unknown columns, unparsable files and other media types are refused")
    func refusals() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let unknown = try await importCSV(harness, tenant, "companies", "name,colour\nAcme,red\n")
            #expect(unknown.problem?.errors?.map(\.field) == ["rows.1.colour"])
            let unclosed = try await importCSV(harness, tenant, "companies", "name\n\"Acme\n")
            #expect(unclosed.problemCode == "import_failed")
            let ragged = try await importCSV(harness, tenant, "companies", "name,domain\nAcme\n")
            #expect(ragged.problem?.errors?.map(\.field) == ["rows.2"])
            let json = try await harness.send(.post, "/v1/imports/companies", token: tenant.token, json: #"{"name":"x"}"#)
            #expect(json.status.code == 415)
            #expect(try await importCSV(harness, tenant, "widgets", "name\nx\n").status == .notFound)
            let viewer = try await harness.send(.post, "/v1/imports/companies", token: tenant.viewerToken, body: "name\nAcme\n", contentType: "text/csv")
            #expect(viewer.status == .forbidden)
        }
    }

    @Test("leads import with their scoring inputs and are scored")
    func leads() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let csv = """
                lastName,email,source,budget,budgetCurrency,purchaseTimeline,technicalComplexity,decisionRole,industry
                Hot,hot@x.io,web,150000,USD,immediate,low,decision_maker,SaaS
                Cold,cold@x.io,,,,,,,
                """
            let response = try await importCSV(harness, tenant, "leads", csv)
            #expect(response.status == .created, "\(response.text)")
            let leads = try await harness.send(.get, "/v1/leads?sort=-score", token: tenant.token).decoded(Page<LeadResponse>.self).items
            #expect(leads.map(\.score) == [100, 0])
            #expect(leads.last?.source == .other)
            let bad = try await importCSV(harness, tenant, "leads", "lastName,source,budget,budgetCurrency\nX,radio,12.345,USD\n")
            #expect(Set(bad.problem?.errors?.map(\.field) ?? []) == ["rows.2.source", "rows.2.budget"])
        }
    }

    @Test("export writes the filtered list as CSV (formula cells defused) and imports into another tenant")
    func export() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            for (name, domain, tags) in [("Acme", "acme.com", #"["vip"]"#), ("=HYPERLINK(\"evil\")", "evil.com", #"["vip"]"#), ("Globex", "globex.com", "[]")] {
                let json = String(decoding: try ERPJSON.encode(["name": name, "domain": domain]), as: UTF8.self).dropLast() + #","tags":\#(tags)}"#
                _ = try await harness.create("/v1/companies", tenant, json: String(json), as: CompanyResponse.self)
            }
            for index in 0..<3 {
                _ = try await harness.create("/v1/contacts", tenant, json: #"{"lastName":"Person \#(index)","email":"p\#(index)@acme.com"}"#, as: ContactResponse.self)
            }
            let response = try await harness.send(.get, "/v1/exports/companies?tag=vip&sort=name", token: tenant.token)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(response.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"companies-") == true)
            let rows = try CSV.parse(response.text)
            #expect(rows.count == 3)
            let header = rows[0]
            #expect(header.first == "id")
            let names = rows.dropFirst().map { $0[header.firstIndex(of: "name")!] }
            #expect(names == ["'=HYPERLINK(\"evil\")", "Acme"])
            #expect(rows.dropFirst().map { $0[header.firstIndex(of: "tags")!] } == ["vip", "vip"])

            let contacts = try await harness.send(.get, "/v1/exports/contacts?q=person", token: tenant.token)
            #expect(try CSV.parse(contacts.text).count == 4)

            let other = try harness.tenant()
            let globex = try await harness.send(.get, "/v1/exports/companies?domain=globex.com", token: tenant.token)
            // Owners must be members of the importing organization: the export's owner is not, so
            // it is refused until the column names one of the other organization's users.
            let refused = try await importCSV(harness, other, "companies", globex.text)
            #expect(refused.problem?.errors?.map(\.field) == ["rows.2.ownerId"], "\(refused.text)")
            let edited = globex.text.replacingOccurrences(of: tenant.user.description, with: other.user.description, options: .caseInsensitive)
            let imported = try await importCSV(harness, other, "companies", edited)
            #expect(imported.status == .created, "\(imported.text)")
            let copied = try await harness.send(.get, "/v1/companies", token: other.token).decoded(Page<CompanyResponse>.self).items
            #expect(copied.map(\.name) == ["Globex"])
            #expect(copied.first?.id != nil)
            #expect(copied.first?.ownerId == other.user)
            #expect(try await harness.send(.get, "/v1/exports/opportunities", token: tenant.token).status == .ok)
            let noExport = try harness.token(tenant: tenant.id, permissions: ["crm.company.read"])
            #expect(try await harness.send(.get, "/v1/exports/companies", token: noExport).status == .forbidden)
        }
    }
}
