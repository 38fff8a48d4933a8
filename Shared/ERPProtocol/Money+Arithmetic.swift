// Arithmetic that never loses a minor unit: integer only, overflow checked, and every
// division either rounds in a named mode or distributes the remainder exactly.

extension Money {
    /// The sum; throws ``MoneyError/currencyMismatch`` or ``MoneyError/overflow``.
    public static func + (lhs: Money, rhs: Money) throws(MoneyError) -> Money {
        guard lhs.currency == rhs.currency else { throw .currencyMismatch }
        let (sum, overflow) = lhs.amountMinor.addingReportingOverflow(rhs.amountMinor)
        guard !overflow else { throw .overflow }
        return Money(amountMinor: sum, currency: lhs.currency)
    }

    /// The difference; throws ``MoneyError/currencyMismatch`` or ``MoneyError/overflow``.
    public static func - (lhs: Money, rhs: Money) throws(MoneyError) -> Money {
        guard lhs.currency == rhs.currency else { throw .currencyMismatch }
        let (difference, overflow) = lhs.amountMinor.subtractingReportingOverflow(rhs.amountMinor)
        guard !overflow else { throw .overflow }
        return Money(amountMinor: difference, currency: lhs.currency)
    }

    /// Adds in place; throws like `+`.
    public static func += (lhs: inout Money, rhs: Money) throws(MoneyError) {
        lhs = try lhs + rhs
    }

    /// Subtracts in place; throws like `-`.
    public static func -= (lhs: inout Money, rhs: Money) throws(MoneyError) {
        lhs = try lhs - rhs
    }

    /// The negated amount (a refund of this charge); throws ``MoneyError/overflow`` only for `Int64.min`.
    public static prefix func - (amount: Money) throws(MoneyError) -> Money {
        try amount.negated()
    }

    /// The negated amount; throws ``MoneyError/overflow`` only for `Int64.min`.
    public func negated() throws(MoneyError) -> Money {
        let (negated, overflow) = Int64(0).subtractingReportingOverflow(amountMinor)
        guard !overflow else { throw .overflow }
        return Money(amountMinor: negated, currency: currency)
    }

    /// The amount times a quantity (unit price × quantity); throws ``MoneyError/overflow``.
    public static func * (lhs: Money, rhs: Int) throws(MoneyError) -> Money {
        try lhs.multiplied(by: rhs)
    }

    /// The amount times a quantity; throws ``MoneyError/overflow``.
    public func multiplied(by quantity: Int) throws(MoneyError) -> Money {
        let (product, overflow) = amountMinor.multipliedReportingOverflow(by: Int64(quantity))
        guard !overflow else { throw .overflow }
        return Money(amountMinor: product, currency: currency)
    }

    /// The sum of `amounts`, all in `currency` (zero when empty).
    public static func sum(_ amounts: some Sequence<Money>, currency: CurrencyCode) throws(MoneyError) -> Money {
        var total = Money.zero(currency)
        for amount in amounts { total = try total + amount }
        return total
    }

    /// `amount × numerator / denominator`, rounded once at the end: 14/31 of €100.00 is €45.16
    /// (a 14-day stub of a 31-day month). The intermediate product is 128-bit, so it cannot
    /// overflow; the result must fit in Int64. Throws ``MoneyError/divisionByZero`` or
    /// ``MoneyError/overflow``.
    public func prorated(
        numerator: Int64, denominator: Int64, rounding: MoneyRounding = .halfEven
    ) throws(MoneyError) -> Money {
        guard denominator != 0 else { throw .divisionByZero }
        let exact = Int128(amountMinor) * Int128(numerator)
        let rounded = rounding.divide(exact, by: Int128(denominator))
        guard let amount = Int64(exactly: rounded) else { throw .overflow }
        return Money(amountMinor: amount, currency: currency)
    }

    /// The amount times a rate in basis points (1 bp = 0.01 %), rounded once: 19 % VAT is
    /// 1900 bp. For finer rates (8.875 %) use ``prorated(numerator:denominator:rounding:)``
    /// with 8875/100000.
    public func applyingRate(basisPoints: Int64, rounding: MoneyRounding = .halfEven) throws(MoneyError) -> Money {
        try prorated(numerator: basisPoints, denominator: 10_000, rounding: rounding)
    }

    /// Splits the amount in proportion to `ratios` by the largest-remainder method: each share
    /// is rounded toward zero, then the leftover minor units go one each to the shares with
    /// the largest remainders (earlier ones first on ties). The shares always sum exactly to
    /// the amount, and a zero ratio always gets zero. Throws ``MoneyError/invalidRatios`` for
    /// an empty list, a negative ratio or all zeros.
    public func allocate(ratios: [Int]) throws(MoneyError) -> [Money] {
        guard !ratios.isEmpty, ratios.allSatisfy({ $0 >= 0 }) else { throw .invalidRatios }
        let total = ratios.reduce(Int128(0)) { $0 + Int128($1) }
        guard total > 0 else { throw .invalidRatios }

        let magnitude = Int128(amountMinor.magnitude)
        var shares = ratios.map { magnitude * Int128($0) / total }
        let remainders = ratios.map { magnitude * Int128($0) % total }
        var leftover = magnitude - shares.reduce(0, +)
        // The remainders sum to leftover × total and each is below total, so more than
        // `leftover` shares have a non-zero remainder: zero ratios never receive a unit.
        let order = remainders.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        for index in order where leftover > 0 {
            shares[index] += 1
            leftover -= 1
        }
        let sign: Int128 = amountMinor < 0 ? -1 : 1
        // Each share is at most |amount|, so with the sign restored it fits in Int64.
        return shares.map { Money(amountMinor: Int64(sign * $0), currency: currency) }
    }

    /// Splits the amount into `parts` shares that differ by at most one minor unit and sum
    /// exactly to it (€100.00 / 3 = 33.34 + 33.33 + 33.33). Throws ``MoneyError/invalidRatios``
    /// when `parts < 1`.
    public func split(into parts: Int) throws(MoneyError) -> [Money] {
        guard parts >= 1 else { throw .invalidRatios }
        return try allocate(ratios: Array(repeating: 1, count: parts))
    }
}
