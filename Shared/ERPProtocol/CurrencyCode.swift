/// An active ISO 4217 currency code (`EUR`, `JPY`, `KWD`) with its minor-unit exponent.
///
/// Only three uppercase letters that name a known currency are accepted, so an amount's
/// meaning (how many minor units make one major unit) is always defined. On the wire it is
/// the plain code string.
public struct CurrencyCode: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    /// The three-letter code, e.g. `EUR`.
    public let rawValue: String
    /// Digits after the decimal point: 2 for EUR, 0 for JPY, 3 for KWD, 4 for CLF.
    public let minorUnitDigits: Int

    /// Validates `code`; `nil` unless it is three uppercase letters naming an active currency
    /// (lowercase `eur` is refused, not corrected: codes on the wire are uppercase).
    public init?(_ code: String) {
        guard code.utf8.count == 3,
            code.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }),
            let digits = Self.minorUnitTable[code]
        else { return nil }
        self.rawValue = code
        self.minorUnitDigits = digits
    }

    /// Validates `code`, throwing ``MoneyError/unknownCurrency``.
    public init(validating code: String) throws(MoneyError) {
        guard let currency = CurrencyCode(code) else { throw .unknownCurrency }
        self = currency
    }

    /// For the constants below; a typo traps on first use and the tests touch each one.
    private init(known code: String) {
        guard let currency = CurrencyCode(code) else { preconditionFailure("Unknown currency \(code)") }
        self = currency
    }

    /// Minor units in one major unit: 100 for EUR, 1 for JPY, 1000 for KWD.
    public var minorUnitsPerMajorUnit: Int64 {
        var result: Int64 = 1
        for _ in 0..<minorUnitDigits { result *= 10 }
        return result
    }

    /// Every supported currency, sorted by code.
    public static var allKnown: [CurrencyCode] {
        minorUnitTable.keys.sorted().compactMap(CurrencyCode.init)
    }

    public var description: String { rawValue }

    public static func < (lhs: CurrencyCode, rhs: CurrencyCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let currency = CurrencyCode(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Expected an active ISO 4217 currency code such as EUR")
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Euro.
    public static let eur = CurrencyCode(known: "EUR")
    /// US dollar.
    public static let usd = CurrencyCode(known: "USD")
    /// Pound sterling.
    public static let gbp = CurrencyCode(known: "GBP")
    /// Swiss franc.
    public static let chf = CurrencyCode(known: "CHF")
    /// Japanese yen (no minor unit).
    public static let jpy = CurrencyCode(known: "JPY")
    /// Kuwaiti dinar (three decimals).
    public static let kwd = CurrencyCode(known: "KWD")
    /// Bahraini dinar (three decimals).
    public static let bhd = CurrencyCode(known: "BHD")
    /// Chilean unidad de fomento (four decimals).
    public static let clf = CurrencyCode(known: "CLF")
    /// Canadian dollar.
    public static let cad = CurrencyCode(known: "CAD")
    /// Australian dollar.
    public static let aud = CurrencyCode(known: "AUD")
    /// Swedish krona.
    public static let sek = CurrencyCode(known: "SEK")
    /// Indian rupee.
    public static let inr = CurrencyCode(known: "INR")
}
