import Foundation
import Testing

import ERPProtocol

@Suite("Pagination")
struct PaginationTests {
    struct LeadSummary: Codable, Sendable, Hashable {
        var id: Identifier<Fixture.Lead>
        var name: String
        var createdAt: Date
    }

    struct Keys: Codable, Hashable {
        var createdAt: Date
        var id: String
    }

    @Test("limit defaults to 50 and accepts 1...200")
    func limits() throws {
        #expect(try PageRequest().limit == 50)
        #expect(try PageRequest(limit: 1).limit == 1)
        #expect(try PageRequest(limit: 200).limit == 200)
        #expect(try PageRequest(limit: 200).fetchLimit == 201)
        #expect(PageRequest.first.limit == 50)
    }

    @Test("limits outside 1...200 throw a validation problem naming the limit field", arguments: [0, -1, 201, 10_000])
    func rejectsLimits(limit: Int) {
        do {
            _ = try PageRequest(limit: limit)
            Issue.record("limit \(limit) was accepted")
        } catch {
            #expect(error.code == .validationFailed)
            #expect(error.status == 422)
            #expect(error.errors?.map(\.field) == ["limit"])
        }
    }

    @Test("query parameters: defaults when absent, every bad parameter listed")
    func queryParameters() throws {
        #expect(try PageRequest(queryLimit: nil, queryCursor: nil) == PageRequest())
        #expect(try PageRequest(queryLimit: "20", queryCursor: "abc_-9").limit == 20)
        do {
            _ = try PageRequest(queryLimit: "ten", queryCursor: "not a cursor!")
            Issue.record("bad query accepted")
        } catch {
            #expect(error.errors?.map(\.field) == ["limit", "cursor"])
        }
    }

    @Test("a cursor round-trips its keys")
    func cursorRoundTrip() throws {
        let keys = Keys(createdAt: Fixture.time, id: Fixture.opportunityID.description)
        let cursor = try Cursor(encoding: keys)
        #expect(!cursor.rawValue.contains("="))
        #expect(cursor.rawValue.utf8.allSatisfy { $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "/") })
        #expect(try cursor.decode(Keys.self) == keys)
        #expect(try Cursor(rawValue: cursor.rawValue)?.decode(Keys.self) == keys)
    }

    @Test("a cursor keeps microseconds, the precision of the timestamps it is compared with")
    func cursorMicroseconds() throws {
        struct TimeKey: Codable, Equatable { var at: Date }
        let precise = Date(timeIntervalSince1970: 1_795_236_051.123457)
        let decoded = try Cursor(encoding: TimeKey(at: precise)).decode(TimeKey.self).at
        #expect(abs(decoded.timeIntervalSince1970 - precise.timeIntervalSince1970) < 0.000_001)
        #expect(decoded != Date(timeIntervalSince1970: 1_795_236_051.123))
    }

    @Test("garbage cursors are refused with a validation problem on the cursor field")
    func garbageCursor() throws {
        #expect(Cursor(rawValue: "") == nil)
        #expect(Cursor(rawValue: "has spaces") == nil)
        #expect(Cursor(rawValue: "abc+/") == nil)
        #expect(Cursor(rawValue: String(repeating: "a", count: 2000)) == nil)
        for text in ["abc", "a", Base64URL.encode(Array("not json".utf8)), Base64URL.encode(Array(#"{"id":"x"}"#.utf8))] {
            let cursor = try #require(Cursor(rawValue: text))
            #expect(throws: Cursor.invalidProblem) { try cursor.decode(Keys.self) }
        }
        #expect(Cursor.invalidProblem.errors?.first?.field == "cursor")
    }

    @Test("golden: a page with a cursor")
    func goldenPage() throws {
        let items = [
            LeadSummary(id: Fixture.leadID, name: "Acme GmbH — Q1 renewal", createdAt: Fixture.time),
            LeadSummary(
                id: Identifier(Fixture.opportunityID.uuid), name: "Globex/Initech bundle", createdAt: Fixture.time),
        ]
        let page = Page(
            items: items,
            nextCursor: try Cursor(encoding: Keys(createdAt: Fixture.time, id: Fixture.opportunityID.description)))
        try Golden.check(page, matches: "page-with-cursor")
    }

    @Test("golden: the last page writes nextCursor as null")
    func goldenLastPage() throws {
        try Golden.check(Page<LeadSummary>(items: [], nextCursor: nil), matches: "page-last")
    }

    @Test("building from limit+1 fetched rows sets the cursor only when there is more")
    func fetchedRows() throws {
        let request = try PageRequest(limit: 2)
        let rows = [1, 2, 3]
        let more = try Page(fetched: rows, request: request) { ["n": $0] }
        #expect(more.items == [1, 2])
        #expect(try more.nextCursor?.decode([String: Int].self) == ["n": 2])
        let last = try Page(fetched: [1, 2], request: request) { ["n": $0] }
        #expect(last.nextCursor == nil)
        #expect(last.map { String($0) }.items == ["1", "2"])
    }
}
