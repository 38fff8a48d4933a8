import Foundation

/// Converts between `Date` and PostgreSQL's ISO text (`2024-05-06 07:08:09.123456+00`).
///
/// Hand-written rather than a DateFormatter: it keeps microseconds exactly, does not depend on the
/// process locale or time zone, and is safe to call from any thread.
enum PostgresTimestamp {
    /// Formats as UTC with microseconds (`2024-05-06 07:08:09.123456+00`); nil outside years 1...9999.
    static func format(_ date: Date) -> String? {
        format(date, fractionDigits: 6).map { "\($0.date) \($0.time)+00" }
    }

    /// The JSON form used inside jsonb documents, matching the services' wire format
    /// (`2024-05-06T07:08:09.123Z`); nil outside years 1...9999.
    static func formatISO8601(_ date: Date) -> String? {
        format(date, fractionDigits: 3).map { "\($0.date)T\($0.time)Z" }
    }

    private static func format(_ date: Date, fractionDigits: Int) -> (date: String, time: String)? {
        var unitsPerSecond: Int64 = 1
        for _ in 0..<fractionDigits { unitsPerSecond *= 10 }
        let total = (date.timeIntervalSince1970 * Double(unitsPerSecond)).rounded()
        guard total.isFinite, abs(total / Double(unitsPerSecond)) < 3.0e11 else { return nil }
        let (seconds, fraction) = floorDivide(Int64(total), unitsPerSecond)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civil(fromDays: Int(days))
        guard (1...9999).contains(year) else { return nil }
        let hour = Int(secondOfDay / 3600)
        let minute = Int(secondOfDay % 3600 / 60)
        let second = Int(secondOfDay % 60)
        return (
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))",
            "\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(Int(fraction), fractionDigits))"
        )
    }

    /// Parses `timestamptz`, `timestamp` (taken as UTC) and `date` (UTC midnight) output, and
    /// ISO-8601 with `T` and `Z`. Digits beyond microseconds are ignored.
    static func parse(_ text: String) -> Date? {
        var scanner = Scanner(Array(text.utf8))
        guard let year = scanner.number(digits: 4), scanner.skip("-"),
            let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2),
            (1...12).contains(month), (1...31).contains(day), day <= daysInMonth(year, month)
        else { return nil }
        var secondOfDay: Int64 = 0
        var micros: Int64 = 0
        var offsetSeconds: Int64 = 0
        if scanner.skip(" ") || scanner.skip("T") {
            guard let hour = scanner.number(digits: 2), scanner.skip(":"),
                let minute = scanner.number(digits: 2), scanner.skip(":"),
                let second = scanner.number(digits: 2)
            else { return nil }
            guard hour <= 24, minute <= 59, second <= 60 else { return nil }
            secondOfDay = Int64(hour * 3600 + minute * 60 + second)
            if scanner.skip(".") {
                var scale: Int64 = 100_000
                var digits = 0
                while let digit = scanner.digit() {
                    digits += 1
                    micros += Int64(digit) * scale
                    scale /= 10
                }
                guard digits > 0 else { return nil }
            }
            if scanner.skip("Z") {
                offsetSeconds = 0
            } else if let sign = scanner.sign() {
                guard let hours = scanner.number(digits: 2) else { return nil }
                var offset = hours * 3600
                if scanner.skip(":") {
                    guard let minutes = scanner.number(digits: 2) else { return nil }
                    offset += minutes * 60
                    if scanner.skip(":") {
                        guard let seconds = scanner.number(digits: 2) else { return nil }
                        offset += seconds
                    }
                }
                offsetSeconds = Int64(sign * offset)
            }
        }
        guard scanner.isAtEnd else { return nil }  // " BC", "infinity" and the like
        let days = Int64(days(fromCivil: year, month, day))
        let unixSeconds = days * 86_400 + secondOfDay - offsetSeconds
        // One division of an exact integer gives the Double nearest the decimal value.
        return Date(timeIntervalSince1970: Double(unixSeconds * 1_000_000 + micros) / 1_000_000)
    }

    private static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }

    // Days since 1970-01-01 <-> proleptic Gregorian date (H. Hinnant's algorithms).
    private static func civil(fromDays value: Int) -> (Int, Int, Int) {
        let z = value + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// A cursor over ASCII bytes.
    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var isAtEnd: Bool { position == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
            position += 1
            return true
        }

        mutating func digit() -> Int? {
            guard position < bytes.count, (48...57).contains(bytes[position]) else { return nil }
            defer { position += 1 }
            return Int(bytes[position] - 48)
        }

        mutating func number(digits count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                guard let digit = digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }

        mutating func sign() -> Int? {
            if skip("+") { return 1 }
            if skip("-") { return -1 }
            return nil
        }
    }
}
