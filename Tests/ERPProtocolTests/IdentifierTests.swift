import Foundation
import Testing

import ERPProtocol

@Suite("Identifier")
struct IdentifierTests {
    @Test("encodes as a lowercase canonical UUID string even when parsed from uppercase")
    func lowercases() throws {
        let id = try #require(TenantID(string: "3F2B8C1E-5D4A-4B6E-9C7D-1A2B3C4D5E6F"))
        #expect(id.description == "3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6f")
        #expect(String(decoding: try ERPJSON.encode([id]), as: UTF8.self) == #"["3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6f"]"#)
        #expect(id == Fixture.tenantID)
        #expect(TenantID(Fixture.tenantID.uuid) == Fixture.tenantID)
    }

    @Test(
        "rejects strings that are not canonical UUIDs",
        arguments: [
            "", "not-a-uuid", "3f2b8c1e5d4a4b6e9c7d1a2b3c4d5e6f", "{3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6f}",
            "3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6", "3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6fa",
            "3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6g", " 3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6",
            "3f2b8c1e-5d4a-4b6e-9c7d+1a2b3c4d5e6f", "3f2b8c1e5-d4a-4b6e-9c7d-1a2b3c4d5e6f",
        ])
    func rejectsJunk(text: String) {
        #expect(TenantID(string: text) == nil)
        #expect(throws: DecodingError.self) { try ERPJSON.decode([TenantID].self, from: Data(#"["\#(text)"]"#.utf8)) }
    }

    @Test("random ids differ and survive a JSON round trip")
    func randomRoundTrip() throws {
        let first = EventID.random()
        let second = EventID.random()
        #expect(first != second)
        #expect(try ERPJSON.decode([EventID].self, from: ERPJSON.encode([first])) == [first])
        #expect(first.description == first.description.lowercased())
    }

    @Test("a dictionary keyed by id encodes as a JSON object keyed by the lowercase id")
    func dictionaryKeys() throws {
        let json = String(decoding: try ERPJSON.encode([Fixture.tenantID: 1]), as: UTF8.self)
        #expect(json == #"{"3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6f":1}"#)
        #expect(try ERPJSON.decode([TenantID: Int].self, from: Data(json.utf8)) == [Fixture.tenantID: 1])
    }
}
