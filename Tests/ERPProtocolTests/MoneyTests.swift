import Foundation
import Testing

import ERPProtocol

@Suite("Money")
struct MoneyTests {
    static func eur(_ minor: Int64) -> Money { Money(amountMinor: minor, currency: .eur) }

    @Test("golden: minor units and currency code")
    func golden() throws {
        try Golden.check(
            [Self.eur(4516), Money(amountMinor: -500, currency: .jpy), Money(amountMinor: 1234, currency: .kwd)],
            matches: "money")
    }

    @Test("decoding refuses unknown or lowercase currencies and fractional amounts")
    func decodingValidates() {
        for json in [
            #"{"amountMinor":1,"currency":"XYZ"}"#, #"{"amountMinor":1,"currency":"eur"}"#,
            #"{"amountMinor":1.5,"currency":"EUR"}"#, #"{"amountMinor":"1","currency":"EUR"}"#,
        ] {
            #expect(throws: DecodingError.self, "\(json)") { try ERPJSON.decode(Money.self, from: Data(json.utf8)) }
        }
    }

    @Test("adding or subtracting different currencies throws currencyMismatch")
    func currencyMismatch() {
        let usd = Money(amountMinor: 100, currency: .usd)
        #expect(throws: MoneyError.currencyMismatch) { try Self.eur(100) + usd }
        #expect(throws: MoneyError.currencyMismatch) { try Self.eur(100) - usd }
        #expect(throws: MoneyError.currencyMismatch) { try Money.sum([Self.eur(1), usd], currency: .eur) }
    }

    @Test("arithmetic is exact and overflow is reported, never wrapped")
    func overflow() throws {
        #expect(try Self.eur(4516) + Self.eur(-16) == Self.eur(4500))
        #expect(try Self.eur(100) - Self.eur(250) == Self.eur(-150))
        #expect(try Self.eur(1999) * 3 == Self.eur(5997))
        #expect(try -Self.eur(5) == Self.eur(-5))
        #expect(try Money.sum([Self.eur(1), Self.eur(2), Self.eur(3)], currency: .eur) == Self.eur(6))
        var total = Self.eur(10)
        try total += Self.eur(5)
        #expect(total == Self.eur(15))
        #expect(throws: MoneyError.overflow) { try Self.eur(.max) + Self.eur(1) }
        #expect(throws: MoneyError.overflow) { try Self.eur(.min) - Self.eur(1) }
        #expect(throws: MoneyError.overflow) { try Self.eur(.max / 2 + 1) * 2 }
        #expect(throws: MoneyError.overflow) { try Self.eur(.min).negated() }
        #expect(throws: MoneyError.overflow) { try Self.eur(.max).prorated(numerator: 3, denominator: 2) }
    }

    @Test("proration: 14/31 of €100.00 is €45.16 (Lago's example)")
    func proration() throws {
        #expect(try Self.eur(10_000).prorated(numerator: 14, denominator: 31) == Self.eur(4516))
        #expect(try Self.eur(-10_000).prorated(numerator: 14, denominator: 31) == Self.eur(-4516))
        // No intermediate overflow: the product exceeds Int64 but the result fits.
        #expect(try Self.eur(.max - 1).prorated(numerator: 1_000_000, denominator: 2_000_000) == Self.eur(.max / 2))
        // Int64.max is odd: half of it is a tie, which half-even rounds to the even neighbour.
        #expect(try Self.eur(.max).prorated(numerator: 1_000_000, denominator: 2_000_000) == Self.eur(.max / 2 + 1))
        #expect(throws: MoneyError.divisionByZero) { try Self.eur(1).prorated(numerator: 1, denominator: 0) }
    }

    @Test(
        "half-even and half-up differ exactly at .5 boundaries",
        arguments: [
            // (amount, halfEven, halfUp) for amount × 1/2
            (Int64(5), Int64(2), Int64(3)),  // 2.5
            (7, 4, 4),  // 3.5
            (-5, -2, -3),  // -2.5: symmetric
            (-7, -4, -4),  // -3.5
            (3, 2, 2),  // 1.5
            (4, 2, 2),  // exact
        ])
    func halfEvenVersusHalfUp(amount: Int64, halfEven: Int64, halfUp: Int64) throws {
        let money = Self.eur(amount)
        #expect(try money.prorated(numerator: 1, denominator: 2) == Self.eur(halfEven))
        #expect(try money.prorated(numerator: 1, denominator: 2, rounding: .halfUp) == Self.eur(halfUp))
    }

    @Test("non-tie results round to nearest in both modes; down and up truncate and lift")
    func otherRounding() throws {
        let money = Self.eur(10)  // × 1/3 = 3.33…, × 2/3 = 6.66…
        for mode in [MoneyRounding.halfEven, .halfUp] {
            #expect(try money.prorated(numerator: 1, denominator: 3, rounding: mode) == Self.eur(3))
            #expect(try money.prorated(numerator: 2, denominator: 3, rounding: mode) == Self.eur(7))
        }
        #expect(try money.prorated(numerator: 2, denominator: 3, rounding: .down) == Self.eur(6))
        #expect(try money.prorated(numerator: 1, denominator: 3, rounding: .up) == Self.eur(4))
        #expect(try Self.eur(-10).prorated(numerator: 1, denominator: 3, rounding: .up) == Self.eur(-4))
    }

    @Test("rates in basis points: 19 % VAT of €45.16, and a half-cent tie")
    func rates() throws {
        #expect(try Self.eur(4516).applyingRate(basisPoints: 1900) == Self.eur(858))  // 858.04
        // 250 bp of €1.00 = 2.5 cents.
        #expect(try Self.eur(100).applyingRate(basisPoints: 250) == Self.eur(2))
        #expect(try Self.eur(100).applyingRate(basisPoints: 250, rounding: .halfUp) == Self.eur(3))
    }

    @Test("allocation always sums exactly to the original")
    func allocationSums() throws {
        let shares = try Self.eur(10_000).split(into: 3)
        #expect(shares == [Self.eur(3334), Self.eur(3333), Self.eur(3333)])
        #expect(try Self.eur(5).allocate(ratios: [3, 7]) == [Self.eur(2), Self.eur(3)])  // 1.5 and 3.5 tie: the earlier share gets the unit
        #expect(try Self.eur(-10_000).split(into: 3) == [Self.eur(-3334), Self.eur(-3333), Self.eur(-3333)])
        #expect(try Self.eur(100).allocate(ratios: [1, 0, 1]) == [Self.eur(50), Self.eur(0), Self.eur(50)])
        #expect(try Self.eur(1).allocate(ratios: [0, 1, 1]) == [Self.eur(0), Self.eur(1), Self.eur(0)])

        let cases: [(Int64, [Int])] = [
            (1, [1, 1, 1]), (101, [1, 1, 1, 1, 1, 1, 1]), (99_999, [7, 13, 29, 51]), (-12_345, [2, 3, 5]),
            (.max, [1, 2]), (.min, [1, 1, 1]), (1_000_000, [Int.max / 2, Int.max / 2]),
        ]
        for (amount, ratios) in cases {
            let shares = try Self.eur(amount).allocate(ratios: ratios)
            #expect(shares.count == ratios.count)
            var total: Int128 = 0
            for share in shares { total += Int128(share.amountMinor) }
            #expect(total == Int128(amount), "\(amount) by \(ratios)")
            let amounts = shares.map(\.amountMinor)
            // Largest remainder: equal ratios never differ by more than one unit.
            if Set(ratios).count == 1 { #expect(amounts.max()! - amounts.min()! <= 1) }
        }
    }

    @Test("allocation refuses empty, negative or all-zero ratios")
    func allocationValidates() {
        #expect(throws: MoneyError.invalidRatios) { try Self.eur(1).allocate(ratios: []) }
        #expect(throws: MoneyError.invalidRatios) { try Self.eur(1).allocate(ratios: [1, -1]) }
        #expect(throws: MoneyError.invalidRatios) { try Self.eur(1).allocate(ratios: [0, 0]) }
        #expect(throws: MoneyError.invalidRatios) { try Self.eur(1).split(into: 0) }
    }

    @Test("description follows the currency's exponent")
    func descriptions() {
        #expect(Self.eur(4516).description == "EUR 45.16")
        #expect(Self.eur(-5).description == "EUR -0.05")
        #expect(Self.eur(0).description == "EUR 0.00")
        #expect(Money(amountMinor: 500, currency: .jpy).description == "JPY 500")
        #expect(Money(amountMinor: 1234, currency: .kwd).description == "KWD 1.234")
        #expect(Money(amountMinor: 12_345, currency: .clf).description == "CLF 1.2345")
        #expect(Self.eur(.min).decimalString == "-92233720368547758.08")
    }

    @Test("parsing follows the currency's exponent and refuses extra digits")
    func parsing() throws {
        #expect(try Money(parsing: "45.16", currency: .eur) == Self.eur(4516))
        #expect(try Money(parsing: "45.1", currency: .eur) == Self.eur(4510))
        #expect(try Money(parsing: "-0.05", currency: .eur) == Self.eur(-5))
        #expect(try Money(parsing: "+7", currency: .eur) == Self.eur(700))
        #expect(try Money(parsing: "500", currency: .jpy) == Money(amountMinor: 500, currency: .jpy))
        #expect(try Money(parsing: "1.234", currency: .kwd) == Money(amountMinor: 1234, currency: .kwd))
        #expect(try Money(parsing: "-92233720368547758.08", currency: .eur) == Self.eur(.min))
        #expect(throws: MoneyError.tooManyFractionDigits) { try Money(parsing: "1.005", currency: .usd) }
        #expect(throws: MoneyError.tooManyFractionDigits) { try Money(parsing: "500.0", currency: .jpy) }
        #expect(throws: MoneyError.tooManyFractionDigits) { try Money(parsing: "1.2345", currency: .kwd) }
        #expect(throws: MoneyError.overflow) { try Money(parsing: "92233720368547758.08", currency: .eur) }
        #expect(throws: MoneyError.overflow) { try Money(parsing: "1000000000000000000000000", currency: .eur) }
        for junk in ["", "-", ".5", "5.", "1,000.00", "1e3", " 1.00", "1.00 ", "--1", "1.-5", "0x10", "١٢"] {
            #expect(throws: MoneyError.invalidAmount, "\(junk)") { try Money(parsing: junk, currency: .eur) }
        }
    }
}
