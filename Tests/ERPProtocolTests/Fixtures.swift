import Foundation
import Testing

import ERPProtocol

/// Fixed inputs shared by the golden tests: the golden files must not change from run to run.
enum Fixture {
    enum Lead {}
    enum Opportunity {}

    static let tenantID = TenantID(string: "3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6f")!
    static let userID = UserID(string: "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f")!
    static let eventID = EventID(string: "0e7c1d2a-8b3f-4c5d-a6e7-f8091a2b3c4d")!
    static let sessionID = SessionID(string: "6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a")!
    static let leadID = Identifier<Lead>(string: "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")!
    static let opportunityID = Identifier<Opportunity>(string: "9b8a7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d")!
    /// 2026-11-21T04:40:51.123Z
    static let time = Date(timeIntervalSince1970: 1_795_236_051.123)
    /// 2026-11-21T04:40:51Z (JWT NumericDates have whole seconds).
    static let wholeSecond = Date(timeIntervalSince1970: 1_795_236_051)
    static let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
}

/// Golden files: the exact bytes the wire encoder must produce.
enum Golden {
    /// The file's text with a trailing newline removed (editors add one).
    static func text(_ name: String) throws -> String {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Golden"),
            "missing golden file \(name).json")
        var text = try String(contentsOf: url, encoding: .utf8)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// Encodes `value` and compares with the golden byte for byte, then decodes the golden and
    /// compares with `value`.
    static func check<Value: Codable & Equatable>(
        _ value: Value, matches name: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let golden = try text(name)
        let encoded = String(decoding: try ERPJSON.encode(value), as: UTF8.self)
        #expect(encoded == golden, sourceLocation: sourceLocation)
        let decoded = try ERPJSON.decode(Value.self, from: Data(golden.utf8))
        #expect(decoded == value, sourceLocation: sourceLocation)
    }
}
