import Foundation
import Testing

import ERPProtocol

@Suite("AccessTokenClaims")
struct AccessTokenClaimsTests {
    static let claims = AccessTokenClaims(
        sub: Fixture.userID.description, org: Fixture.tenantID, roles: ["Manager"],
        perms: ["crm.*.read", "crm.lead.convert", "hrm.leave.approve"], iss: "https://auth.erp.dev", aud: "erp-api",
        exp: Fixture.wholeSecond.addingTimeInterval(900), iat: Fixture.wholeSecond, nbf: Fixture.wholeSecond,
        jti: "5c0d9e8f-7a6b-4c5d-8e9f-a0b1c2d3e4f5", sid: Fixture.sessionID, kind: .user)

    @Test("golden: NumericDate integers, aud as a single string")
    func golden() throws {
        try Golden.check(Self.claims, matches: "access-token-claims")
        #expect(Self.claims.userID == Fixture.userID)
        #expect(Self.claims.serviceAccountID == nil)
        #expect(Self.claims.perms.contains("crm.contact.read"))
    }

    @Test("aud decodes from a string or an array; several audiences encode as an array")
    func audience() throws {
        var text = try Golden.text("access-token-claims")
        text = text.replacingOccurrences(of: #""aud":"erp-api""#, with: #""aud":["erp-api","erp-ai"]"#)
        let decoded = try ERPJSON.decode(AccessTokenClaims.self, from: Data(text.utf8))
        #expect(decoded.aud.values == ["erp-api", "erp-ai"])
        #expect(decoded.aud.contains("erp-ai"))
        #expect(String(decoding: try ERPJSON.encode(decoded), as: UTF8.self) == text)

        let single = text.replacingOccurrences(of: #""aud":["erp-api","erp-ai"]"#, with: #""aud":["erp-api"]"#)
        let fromArray = try ERPJSON.decode(AccessTokenClaims.self, from: Data(single.utf8))
        #expect(fromArray == Self.claims)
        #expect(String(decoding: try ERPJSON.encode(fromArray), as: UTF8.self) == (try Golden.text("access-token-claims")))
    }

    @Test("fractional NumericDates decode; encoding drops the fraction; nbf and sid are optional")
    func numericDates() throws {
        var claims = Self.claims
        claims.nbf = nil
        claims.sid = nil
        claims.kind = .service
        claims.exp = Fixture.wholeSecond.addingTimeInterval(0.9)
        let json = String(decoding: try ERPJSON.encode(claims), as: UTF8.self)
        #expect(json.contains(#""exp":1795236051,"#))
        #expect(!json.contains("nbf") && !json.contains("sid"))
        let fractional = json.replacingOccurrences(of: #""exp":1795236051,"#, with: #""exp":1795236051.5,"#)
        let decoded = try ERPJSON.decode(AccessTokenClaims.self, from: Data(fractional.utf8))
        #expect(decoded.exp == Date(timeIntervalSince1970: 1_795_236_051.5))
        #expect(decoded.nbf == nil)
        #expect(throws: DecodingError.self) {
            try ERPJSON.decode(
                AccessTokenClaims.self,
                from: Data(json.replacingOccurrences(of: #""exp":1795236051,"#, with: #""exp":"2026-11-21T04:40:51Z","#).utf8))
        }
    }

    @Test("time validity honours nbf, exp and leeway")
    func timeValidity() {
        let claims = Self.claims  // valid from iat to iat + 900 s
        #expect(claims.isValid(at: Fixture.wholeSecond.addingTimeInterval(10)))
        #expect(claims.isValid(at: Fixture.wholeSecond.addingTimeInterval(910), leeway: 30))
        #expect(!claims.isValid(at: Fixture.wholeSecond.addingTimeInterval(910), leeway: 0))
        #expect(!claims.isValid(at: Fixture.wholeSecond.addingTimeInterval(-60)))
    }
}
