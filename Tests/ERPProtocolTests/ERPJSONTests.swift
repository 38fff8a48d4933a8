import Foundation
import Testing

import ERPProtocol

@Suite("ERPJSON wire format")
struct ERPJSONTests {
    struct Stamped: Codable, Equatable {
        var at: Date
        var url: String
    }

    @Test("dates encode as UTC with exactly three fractional digits; slashes are not escaped")
    func encodesMillisecondsUTC() throws {
        let json = try ERPJSON.encode(Stamped(at: Fixture.time, url: "https://x.dev/a/b"))
        #expect(String(decoding: json, as: UTF8.self) == #"{"at":"2026-11-21T04:40:51.123Z","url":"https://x.dev/a/b"}"#)
        #expect(ERPJSON.string(from: Fixture.wholeSecond) == "2026-11-21T04:40:51.000Z")
        #expect(ERPJSON.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        // Before the epoch the millisecond part must still count forward within the second.
        #expect(ERPJSON.string(from: Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(ERPJSON.string(from: Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
    }

    @Test("sub-millisecond time rounds to the nearest millisecond, carrying into the next second")
    func roundsToMilliseconds() {
        #expect(ERPJSON.string(from: Date(timeIntervalSince1970: 1_795_236_051.9996)) == "2026-11-21T04:40:52.000Z")
        #expect(ERPJSON.string(from: Date(timeIntervalSince1970: 1_795_236_051.1234)) == "2026-11-21T04:40:51.123Z")
    }

    @Test(
        "the decoder accepts timestamps with and without fractional seconds",
        arguments: [
            ("2026-11-21T04:40:51.123Z", 1_795_236_051.123),
            ("2026-11-21T04:40:51Z", 1_795_236_051),
            ("2026-11-21T04:40:51.1Z", 1_795_236_051.1),
            ("2026-11-21T04:40:51.123456Z", 1_795_236_051.123456),
            ("2026-11-21T06:40:51.123+02:00", 1_795_236_051.123),
            ("2026-11-20T23:10:51-05:30", 1_795_236_051),
        ])
    func decodesWithAndWithoutFraction(text: String, seconds: Double) throws {
        let decoded = try ERPJSON.decode(Stamped.self, from: Data(#"{"at":"\#(text)","url":""}"#.utf8))
        #expect(abs(decoded.at.timeIntervalSince1970 - seconds) < 0.000_001)
    }

    @Test("a millisecond timestamp decodes to exactly the Date it was encoded from")
    func millisecondRoundTripIsExact() throws {
        let decoded = try #require(ERPJSON.date(from: "2026-11-21T04:40:51.123Z"))
        #expect(decoded == Fixture.time)
        #expect(ERPJSON.string(from: decoded) == "2026-11-21T04:40:51.123Z")
    }

    @Test(
        "the decoder rejects text that is not an ISO-8601 date-time",
        arguments: [
            "2026-11-21", "2026-11-21T04:40Z", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
            "2026-11-21T24:00:00Z", "2026-11-21T04:40:51", "2026-11-21T04:40:51.Z", "1795236051",
            "2026-11-21T04:40:51.123Zjunk", "2026/11/21T04:40:51Z", "",
        ])
    func rejectsMalformedDates(text: String) {
        #expect(ERPJSON.date(from: text) == nil)
        #expect(throws: DecodingError.self) {
            try ERPJSON.decode(Stamped.self, from: Data(#"{"at":"\#(text)","url":""}"#.utf8))
        }
    }

    @Test("leap days are valid only in leap years")
    func leapDays() {
        #expect(ERPJSON.date(from: "2028-02-29T12:00:00Z") != nil)
        #expect(ERPJSON.date(from: "2000-02-29T12:00:00Z") != nil)
        #expect(ERPJSON.date(from: "2100-02-29T12:00:00Z") == nil)
    }
}
