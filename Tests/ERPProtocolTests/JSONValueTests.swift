import Foundation
import Testing

import ERPProtocol

@Suite("JSONValue")
struct JSONValueTests {
    @Test("keeps the JSON kinds apart: booleans are not numbers, integers are not doubles")
    func kinds() throws {
        let value = try ERPJSON.decode(JSONValue.self, from: Data(#"{"a":true,"b":1,"c":1.5,"d":"x","e":null,"f":[0]}"#.utf8))
        #expect(value["a"] == .bool(true))
        #expect(value["b"] == .integer(1))
        #expect(value["c"] == .double(1.5))
        #expect(value["d"] == .string("x"))
        #expect(value["e"] == .null)
        #expect(value["f"]?[0] == .integer(0))
        #expect(value["missing"] == nil)
    }

    @Test("integers beyond 2^53 stay exact (they would not survive a Double)")
    func exactIntegers() throws {
        let text = #"[9007199254740993,-9223372036854775808,9223372036854775807]"#
        let value = try ERPJSON.decode(JSONValue.self, from: Data(text.utf8))
        #expect(value == [.integer(9_007_199_254_740_993), .integer(.min), .integer(.max)])
        #expect(String(decoding: try ERPJSON.encode(value), as: UTF8.self) == text)
    }

    @Test("encodes objects with sorted keys and converts to and from typed values")
    func conversions() throws {
        let value: JSONValue = ["b": 1, "a": [true, nil, "s", 2.5]]
        #expect(String(decoding: try ERPJSON.encode(value), as: UTF8.self) == #"{"a":[true,null,"s",2.5],"b":1}"#)
        let money = Money(amountMinor: 4516, currency: .eur)
        let json = try JSONValue(encoding: money)
        #expect(json == ["amountMinor": 4516, "currency": "EUR"])
        #expect(try json.decode(Money.self) == money)
    }
}
