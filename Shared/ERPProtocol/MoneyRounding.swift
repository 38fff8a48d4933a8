/// How a money computation rounds a result that falls between two minor units.
///
/// All modes are symmetric around zero (−2.5 rounds like 2.5, with the sign kept), so refunds
/// and credit notes mirror the charges they reverse.
public enum MoneyRounding: String, Hashable, Sendable, Codable, CaseIterable {
    /// Ties to the even neighbour (banker's rounding): 2.5 → 2, 3.5 → 4. The default, because
    /// it does not drift upward when many rounded amounts are summed.
    case halfEven
    /// Ties away from zero (commercial rounding): 2.5 → 3, −2.5 → −3.
    case halfUp
    /// Toward zero (truncate): 2.9 → 2.
    case down
    /// Away from zero: 2.1 → 3.
    case up

    /// `numerator / denominator` rounded to an integer in this mode. `denominator` must not be 0.
    func divide(_ numerator: Int128, by denominator: Int128) -> Int128 {
        let negative = (numerator < 0) != (denominator < 0)
        let dividend = numerator.magnitude
        let divisor = denominator.magnitude
        var quotient = dividend / divisor
        let remainder = dividend % divisor
        if remainder != 0 {
            let twice = remainder * 2  // cannot overflow: remainder < divisor ≤ 2^127
            switch self {
            case .halfEven:
                if twice > divisor || (twice == divisor && quotient % 2 == 1) { quotient += 1 }
            case .halfUp:
                if twice >= divisor { quotient += 1 }
            case .down:
                break
            case .up:
                quotient += 1
            }
        }
        // Callers multiply two Int64 at most, so the quotient fits Int128 with room to spare.
        return negative ? -Int128(quotient) : Int128(quotient)
    }
}
