/// A wall-clock date and time in Europe/Paris, without zone: when a booking was taken (`14/07/2026 17:45`).
///
/// Booking exports write local times; rules such as a same-day cut-off hour compare wall-clock times, so the
/// value keeps the date and the seconds into the day as written, with no conversion to an instant.
package struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    package let date: CalendarDate
    /// Seconds since midnight, 0 ..< 86 400.
    package let secondsOfDay: Int

    /// A date and a time of day; seconds outside one day are carried into the date.
    package init(date: CalendarDate, secondsOfDay: Int) {
        let days = secondsOfDay >= 0 ? secondsOfDay / 86_400 : (secondsOfDay - 86_399) / 86_400
        self.date = date.adding(days: days)
        self.secondsOfDay = secondsOfDay - days * 86_400
    }

    /// A date at `hour:minute`.
    package init(date: CalendarDate, hour: Int, minute: Int) {
        self.init(date: date, secondsOfDay: hour * 3_600 + minute * 60)
    }

    package var hour: Int { secondsOfDay / 3_600 }
    package var minute: Int { secondsOfDay / 60 % 60 }

    package static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.date, lhs.secondsOfDay) < (rhs.date, rhs.secondsOfDay)
    }

    /// ISO 8601 without zone: `2026-07-14T17:45:00`.
    package var description: String {
        let seconds = secondsOfDay % 60
        return "\(date.description)T\(String(format2: hour)):\(String(format2: minute)):\(String(format2: seconds))"
    }

    /// French display, to the minute: `14/07/2026 17:45`.
    package var frenchText: String { "\(date.frenchText) \(clockText)" }

    /// The time of day, `17:45`.
    package var clockText: String { "\(String(format2: hour)):\(String(format2: minute))" }

    /// Parses `dd/mm/yyyy hh:mm[:ss]`, `yyyy-mm-dd hh:mm[:ss]` or `yyyy-mm-ddThh:mm[:ss]` (the date as
    /// `CalendarDate.parse` reads it); nil when the time is missing or not a time of day.
    package static func parse(_ text: some StringProtocol) -> LocalDateTime? {
        let parts = text.trimmingWhitespace().split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2, let date = CalendarDate.parse(parts[0]), let seconds = clock(parts[1]) else {
            return nil
        }
        return LocalDateTime(date: date, secondsOfDay: seconds)
    }

    /// `hh:mm` or `hh:mm:ss` (also `17h45`), as seconds into the day.
    package static func clock(_ text: some StringProtocol) -> Int? {
        let pieces = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == ":" || $0 == "h" })
        guard pieces.count == 2 || pieces.count == 3,
            pieces.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCIIDigitChar) }),
            let hour = Int(pieces[0]), let minute = Int(pieces[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        let second = pieces.count == 3 ? Int(pieces[2]) ?? 60 : 0
        guard (0..<60).contains(second) else { return nil }
        return hour * 3_600 + minute * 60 + second
    }
}
