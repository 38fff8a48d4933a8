/// Why a money operation was refused. Every case is a refusal, never a silent adjustment:
/// money code must not round, wrap or convert behind the caller's back.
public enum MoneyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The operands are in different currencies (convert explicitly first).
    case currencyMismatch
    /// The result does not fit in 64-bit minor units.
    case overflow
    /// A proration or rate with a zero denominator.
    case divisionByZero
    /// Allocation ratios are empty, negative or all zero (or a split into fewer than one part).
    case invalidRatios
    /// Text is not a plain decimal amount such as `45.16` or `-3`.
    case invalidAmount
    /// Text has more fractional digits than the currency's minor unit allows (`1.005` USD).
    case tooManyFractionDigits
    /// Not an active ISO 4217 code.
    case unknownCurrency

    /// Stable snake_case code, for a `FieldIssue` or a problem `code`.
    public var code: String {
        switch self {
        case .currencyMismatch: "currency_mismatch"
        case .overflow: "amount_overflow"
        case .divisionByZero: "division_by_zero"
        case .invalidRatios: "invalid_ratios"
        case .invalidAmount: "invalid_amount"
        case .tooManyFractionDigits: "too_many_fraction_digits"
        case .unknownCurrency: "unknown_currency"
        }
    }

    public var description: String {
        switch self {
        case .currencyMismatch: "The amounts are in different currencies."
        case .overflow: "The amount is too large."
        case .divisionByZero: "The denominator is zero."
        case .invalidRatios: "Allocation ratios must be non-negative and not all zero."
        case .invalidAmount: "The amount is not a decimal number."
        case .tooManyFractionDigits: "The amount has more decimal places than the currency allows."
        case .unknownCurrency: "The currency is not an active ISO 4217 code."
        }
    }
}
