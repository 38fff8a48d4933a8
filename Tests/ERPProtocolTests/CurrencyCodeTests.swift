import Foundation
import Testing

import ERPProtocol

@Suite("CurrencyCode")
struct CurrencyCodeTests {
    @Test(
        "minor-unit exponents follow ISO 4217",
        arguments: [
            ("EUR", 2), ("USD", 2), ("JPY", 0), ("KRW", 0), ("ISK", 0), ("CLP", 0), ("KWD", 3), ("BHD", 3),
            ("OMR", 3), ("JOD", 3), ("TND", 3), ("LYD", 3), ("IQD", 3), ("CLF", 4), ("UYW", 4), ("HUF", 2),
            ("XOF", 0), ("XCG", 2),
        ])
    func exponents(code: String, digits: Int) throws {
        let currency = try #require(CurrencyCode(code))
        #expect(currency.minorUnitDigits == digits)
        var perMajor: Int64 = 1
        for _ in 0..<digits { perMajor *= 10 }
        #expect(currency.minorUnitsPerMajorUnit == perMajor)
    }

    @Test("refuses lowercase, wrong length, unknown, withdrawn and unit-less codes", arguments: [
        "eur", "Eur", "EU", "EURO", "", "XYZ", "HRK", "XAU", "XXX", "XTS", "XDR", "€",
    ])
    func refuses(code: String) {
        #expect(CurrencyCode(code) == nil)
        #expect(throws: MoneyError.unknownCurrency) { try CurrencyCode(validating: code) }
    }

    @Test("constants and the table agree")
    func constants() {
        #expect([CurrencyCode.eur, .usd, .gbp, .chf, .jpy, .kwd, .bhd, .clf, .cad, .aud, .sek, .inr].map(\.rawValue)
            == ["EUR", "USD", "GBP", "CHF", "JPY", "KWD", "BHD", "CLF", "CAD", "AUD", "SEK", "INR"])
        #expect(CurrencyCode.allKnown.count == 169)
        #expect(CurrencyCode.allKnown.allSatisfy { (0...4).contains($0.minorUnitDigits) })
    }
}
