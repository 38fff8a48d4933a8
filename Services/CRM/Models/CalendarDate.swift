import ERPPostgres
import Foundation

/// A calendar day without time or zone (`2026-03-31`), e.g. an expected close date. Sent to
/// PostgreSQL as `date`, read back from `date::text`.
struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, PostgresEncodable, PostgresDecodable {
    let year: Int
    let month: Int
    let day: Int

    init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...Self.days(inMonth: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` exactly.
    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The UTC day of `date`.
    init(utc date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = calendar.dateComponents([.year, .month, .day], from: date)
        self.year = components.year!
        self.month = components.month!
        self.day = components.day!
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// `YYYY-MM` of the month this day is in.
    var monthKey: String { String(format: "%04d-%02d", year, month) }

    /// Midnight UTC at the start of this day.
    var startOfDayUTC: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day))!
    }

    static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let date = CalendarDate(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Expected a date as YYYY-MM-DD")
        }
        self = date
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static var postgresDataType: PostgresDataType { .date }

    func postgresBind() throws -> PostgresBind {
        PostgresBind(dataType: .date, text: description)
    }

    init(postgresText text: String, dataType: PostgresDataType) throws {
        guard let date = CalendarDate(text) else { throw PostgresError(code: .decoding, message: "a value of type \(dataType) is not a calendar date") }
        self = date
    }
}
