import Foundation

extension Duration {
    /// The duration as the `timeval` hiredis takes for its connect and socket timeouts,
    /// rounded up to whole microseconds so a tiny positive timeout never becomes "no timeout".
    var asTimeval: timeval {
        let (seconds, attoseconds) = components
        let microseconds = (attoseconds + 999_999_999_999) / 1_000_000_000_000
        if microseconds >= 1_000_000 {
            return timeval(tv_sec: .init(seconds + 1), tv_usec: 0)
        }
        return timeval(tv_sec: .init(seconds), tv_usec: .init(microseconds))
    }

    /// Whole milliseconds, rounded up, for `PX` and `PEXPIRE` (in scripts too).
    public var roundedUpMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }
}
