/// An amount of money: integer minor units plus an ISO 4217 currency.
/// `{"amountMinor":4516,"currency":"EUR"}` is €45.16.
///
/// No floating point anywhere: amounts are integers, and every operation that could lose or
/// invent a minor unit (mixing currencies, overflow, division) either rounds in an explicit
/// ``MoneyRounding`` mode or throws ``MoneyError``. See `Money+Arithmetic.swift` and
/// `Money+Text.swift`.
public struct Money: Hashable, Sendable, Codable {
    /// The amount in the currency's minor unit (cents for EUR, yen for JPY, fils for KWD).
    public var amountMinor: Int64
    /// The currency.
    public var currency: CurrencyCode

    /// An amount given in minor units.
    public init(amountMinor: Int64, currency: CurrencyCode) {
        self.amountMinor = amountMinor
        self.currency = currency
    }

    /// Zero in `currency`.
    public static func zero(_ currency: CurrencyCode) -> Money {
        Money(amountMinor: 0, currency: currency)
    }

    /// Whether the amount is zero.
    public var isZero: Bool { amountMinor == 0 }
    /// Whether the amount is below zero (a credit or refund).
    public var isNegative: Bool { amountMinor < 0 }
    /// Whether the amount is above zero.
    public var isPositive: Bool { amountMinor > 0 }
}
