import Foundation

/// One user's wishes for one channel.
struct Preference: Sendable, Equatable {
    enum Mode: String, Codable, Sendable {
        case immediate
        case digest
    }

    var userID: UUID
    var channel: Channel
    var optedIn: Bool
    var mode: Mode
    /// Minutes after midnight in `timeZone`; a start after the end spans midnight.
    var quietStart: Int?
    var quietEnd: Int?
    var timeZone: String
    var address: String?
    var version: Int

    static func standard(user: UUID, channel: Channel) -> Preference {
        Preference(userID: user, channel: channel, optedIn: true, mode: .immediate, quietStart: nil, quietEnd: nil,
                   timeZone: "UTC", address: nil, version: 0)
    }

    /// When a non-transactional message created at `now` may go out: now, the end of the quiet
    /// hours, or the next digest time (08:00 local).
    func releaseTime(after now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        let components = calendar.dateComponents([.hour, .minute], from: now)
        let minute = (components.hour ?? 0) * 60 + (components.minute ?? 0)
        if mode == .digest { return Self.next(minuteOfDay: Self.digestMinute, after: now, calendar: calendar) }
        guard let start = quietStart, let end = quietEnd, start != end else { return now }
        let quiet = start < end ? (minute >= start && minute < end) : (minute >= start || minute < end)
        return quiet ? Self.next(minuteOfDay: end, after: now, calendar: calendar) : now
    }

    static let digestMinute = 8 * 60

    private static func next(minuteOfDay: Int, after now: Date, calendar: Calendar) -> Date {
        let match = DateComponents(hour: minuteOfDay / 60, minute: minuteOfDay % 60, second: 0)
        return calendar.nextDate(after: now, matching: match, matchingPolicy: .nextTime) ?? now
    }
}
