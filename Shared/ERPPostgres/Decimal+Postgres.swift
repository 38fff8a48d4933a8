import Foundation

/// `numeric`. Decimal holds 38 significant digits; a cell with more throws instead of being
/// rounded silently (a wrong amount is worse than an error).
extension Decimal: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .numeric }

    public func postgresBind() throws -> PostgresBind {
        // Decimal's description is locale-independent ("1234.5", "NaN").
        PostgresBind(dataType: .numeric, text: isNaN ? "NaN" : description)
    }

    public init(postgresText text: String, dataType: PostgresDataType) throws {
        if text == "NaN" {
            self = .nan
            return
        }
        guard Self.significantDigitCount(text) <= 38,
            let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
        else { throw Self.decodingError(dataType) }
        self = value
    }

    /// Digits between the first and last non-zero digit, ignoring the decimal point.
    private static func significantDigitCount(_ text: String) -> Int {
        var mantissa = text.prefix { $0 != "e" && $0 != "E" }.filter(\.isNumber)
        while mantissa.first == "0" { mantissa.removeFirst() }
        while mantissa.last == "0" { mantissa.removeLast() }
        return mantissa.count
    }
}
