import ERPProtocol
import Foundation
import HTTPTypes
import Testing

@testable import CRMService

@Suite("CRM: custom fields")
struct CustomFieldTests {
    @Test("values are validated against the tenant's typed definitions on every write")
    func typedValidation() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            for definition in [
                #"{"entity":"company","key":"tier","label":"Tier","type":"select","options":["gold","silver"],"required":true}"#,
                #"{"entity":"company","key":"seats","label":"Seats","type":"integer"}"#,
                #"{"entity":"company","key":"renewal","label":"Renewal","type":"date"}"#,
                #"{"entity":"company","key":"regions","label":"Regions","type":"multi_select","options":["emea","apac","amer"]}"#,
                #"{"entity":"contact","key":"newsletter","label":"Newsletter","type":"boolean"}"#,
            ] {
                let response = try await harness.send(.post, "/v1/custom-fields", token: tenant.token, json: definition)
                #expect(response.status == .created, "\(response.text)")
            }
            let duplicate = try await harness.send(.post, "/v1/custom-fields", token: tenant.token, json: #"{"entity":"company","key":"tier","label":"Again","type":"text"}"#)
            #expect(duplicate.status.code == 422)
            let selectWithoutOptions = try await harness.send(.post, "/v1/custom-fields", token: tenant.token, json: #"{"entity":"lead","key":"x","label":"X","type":"select"}"#)
            #expect(selectWithoutOptions.status.code == 422)

            let invalid = try await harness.send(.post, "/v1/companies", token: tenant.token, json: """
                {"name":"Acme","customFields":{"tier":"platinum","seats":1.5,"renewal":"2026-02-30","regions":["emea","mars"],"colour":"red"}}
                """)
            #expect(invalid.status.code == 422)
            let fields = Set(invalid.problem?.errors?.map(\.field) ?? [])
            #expect(fields == ["customFields.tier", "customFields.seats", "customFields.renewal", "customFields.regions", "customFields.colour"])

            let missingRequired = try await harness.send(.post, "/v1/companies", token: tenant.token, json: #"{"name":"Acme","customFields":{"seats":3}}"#)
            #expect(missingRequired.problem?.errors?.map(\.field) == ["customFields.tier"])

            let valid = try await harness.create("/v1/companies", tenant, json: """
                {"name":"Acme","customFields":{"tier":"gold","seats":3.0,"renewal":"2026-02-28","regions":["emea","emea","apac"]}}
                """, as: CompanyResponse.self)
            #expect(valid.customFields["seats"] == .integer(3))
            #expect(valid.customFields["regions"] == .array([.string("emea"), .string("apac")]))

            // PATCH merges values key by key; null removes one (not allowed for a required field).
            let path = "/v1/companies/\(valid.id.lowercased)"
            let removeRequired = try await harness.send(.patch, path, token: tenant.token, json: #"{"customFields":{"tier":null}}"#, headers: .ifMatch("\"1\""))
            #expect(removeRequired.status.code == 422)
            let patched = try await harness.send(.patch, path, token: tenant.token, json: #"{"customFields":{"seats":null,"tier":"silver"}}"#, headers: .ifMatch("\"1\""))
            #expect(patched.status == .ok, "\(patched.text)")
            let after = try patched.decoded(CompanyResponse.self)
            #expect(after.customFields["tier"] == .string("silver"))
            #expect(after.customFields["seats"] == nil)
            #expect(after.customFields["renewal"] == .string("2026-02-28"))

            // Deleting a definition removes its values.
            let list = try await harness.send(.get, "/v1/custom-fields?entity=company", token: tenant.token).decoded(CustomFieldController.DefinitionList.self)
            #expect(list.items.map(\.key) == ["regions", "renewal", "seats", "tier"])
            let renewal = try #require(list.items.first { $0.key == "renewal" })
            #expect(try await harness.send(.delete, "/v1/custom-fields/\(renewal.id.lowercased)", token: tenant.token).status == .noContent)
            let reread = try await harness.send(.get, path, token: tenant.token).decoded(CompanyResponse.self)
            #expect(reread.customFields["renewal"] == nil)

            // Options can be added, not removed.
            let tier = try #require(list.items.first { $0.key == "tier" })
            let shrink = try await harness.send(.patch, "/v1/custom-fields/\(tier.id.lowercased)", token: tenant.token, json: #"{"options":["gold"]}"#, headers: .ifMatch("\"1\""))
            #expect(shrink.status.code == 422)
            let grow = try await harness.send(.patch, "/v1/custom-fields/\(tier.id.lowercased)", token: tenant.token, json: #"{"options":["gold","silver","bronze"]}"#, headers: .ifMatch("\"1\""))
            #expect(grow.status == .ok)
        }
    }
}
