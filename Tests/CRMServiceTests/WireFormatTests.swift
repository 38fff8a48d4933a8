import ERPProtocol
import Foundation
import Testing

@testable import CRMService

/// Ids on the wire are lowercase UUIDs, as in every service, so a front end can compare the
/// id of a record with the ids other records and services give for it as plain strings.
@Suite("CRM: ids on the wire")
struct WireFormatTests {
    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func isLowercaseUUID(_ value: Any?) -> Bool {
        guard let text = value as? String else { return false }
        return text == text.lowercased() && UUID(uuidString: text) != nil
    }

    @Test("record ids, references and lists of ids are lowercase; absent references are left out, not null")
    func lowercaseIDs() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let company = try await harness.send(.post, "/v1/companies", token: tenant.token, json: #"{"name":"Wire Co","domain":"wire.example"}"#)
            let companyJSON = try Self.object(company.text)
            #expect(Self.isLowercaseUUID(companyJSON["id"]), "\(company.text)")
            #expect(companyJSON["mergedInto"] == nil)
            let companyID = try #require(companyJSON["id"] as? String)

            let opportunity = try await harness.send(.post, "/v1/opportunities", token: tenant.token, json: """
                {"name":"Wire deal","amount":{"amountMinor":1000,"currency":"USD"},"companyId":"\(companyID.uppercased())"}
                """)
            let opportunityJSON = try Self.object(opportunity.text)
            #expect(opportunity.status == .created, "\(opportunity.text)")
            for key in ["id", "pipelineId", "stageId"] { #expect(Self.isLowercaseUUID(opportunityJSON[key]), "\(key): \(opportunity.text)") }
            // Sent uppercase, answered lowercase: the same id either way.
            #expect(opportunityJSON["companyId"] as? String == companyID)
            #expect(opportunityJSON["contactId"] == nil && opportunityJSON["leadId"] == nil)

            let list = try Self.object(try await harness.send(.get, "/v1/opportunities", token: tenant.token).text)
            let items = try #require(list["items"] as? [[String: Any]])
            #expect(items.allSatisfy { Self.isLowercaseUUID($0["id"]) && $0["companyId"] as? String == companyID })

            let csv = "name,domain\nCsv One,csv-one.example\nCsv Two,csv-two.example"
            let imported = try Self.object(try await harness.send(.post, "/v1/imports/companies", token: tenant.token, body: csv, contentType: "text/csv").text)
            let ids = try #require(imported["ids"] as? [Any])
            #expect(ids.count == 2 && ids.allSatisfy(Self.isLowercaseUUID))
        }
    }
}
