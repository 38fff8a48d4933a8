// Decimal text for money: parsing user input (`45.16`) without going through Double, and
// the `EUR 45.16` description for logs, CSV and PDFs.

extension Money {
    /// Parses a plain decimal amount (`45.16`, `-3`, `+0.5`) in `currency`.
    ///
    /// Accepts an optional sign, digits, and optionally a `.` followed by 1 to
    /// `currency.minorUnitDigits` digits (fewer are padded: `45.1` EUR = 4510). Refuses
    /// thousands separators, exponents, spaces and a bare `.`; throws
    /// ``MoneyError/tooManyFractionDigits`` for more digits than the currency has (`1.005` USD,
    /// `500.0` JPY) rather than rounding, and ``MoneyError/overflow`` beyond Int64 minor units.
    public init(parsing text: String, currency: CurrencyCode) throws(MoneyError) {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        let integerPart = bytes.prefix { $0 != UInt8(ascii: ".") }
        let hasPoint = integerPart.count < bytes.count
        let fractionPart = hasPoint ? bytes.dropFirst(integerPart.count + 1) : bytes.dropFirst(bytes.count)
        let isDigit: (UInt8) -> Bool = { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard !integerPart.isEmpty, integerPart.allSatisfy(isDigit), fractionPart.allSatisfy(isDigit),
            !hasPoint || !fractionPart.isEmpty
        else { throw .invalidAmount }
        guard fractionPart.count <= currency.minorUnitDigits else { throw .tooManyFractionDigits }
        // 19 integer digits already exceed Int64 minor units; stopping early keeps Int128 safe.
        guard integerPart.drop(while: { $0 == UInt8(ascii: "0") }).count <= 19 else { throw .overflow }

        var value: Int128 = 0
        for digit in integerPart { value = value * 10 + Int128(digit - UInt8(ascii: "0")) }
        for digit in fractionPart { value = value * 10 + Int128(digit - UInt8(ascii: "0")) }
        for _ in fractionPart.count..<currency.minorUnitDigits { value *= 10 }
        guard let amount = Int64(exactly: negative ? -value : value) else { throw .overflow }
        self.init(amountMinor: amount, currency: currency)
    }

    /// The amount as a plain decimal with exactly the currency's digits: `45.16`, `-0.05`,
    /// `500` (JPY), `1.234` (KWD).
    public var decimalString: String {
        let digits = currency.minorUnitDigits
        let magnitude = amountMinor.magnitude  // UInt64: also right for Int64.min
        let sign = amountMinor < 0 ? "-" : ""
        guard digits > 0 else { return sign + String(magnitude) }
        let scale = UInt64(currency.minorUnitsPerMajorUnit)
        let fraction = String(magnitude % scale)
        return sign + String(magnitude / scale) + "."
            + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}

extension Money: CustomStringConvertible {
    /// `EUR 45.16`, `JPY 500`, `KWD -1.234`.
    public var description: String { "\(currency.rawValue) \(decimalString)" }
}
