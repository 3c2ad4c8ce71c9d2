import Foundation
import PasserelleCore

/// A `DTSTART`/`DTEND` value reduced to the calendar date of the accommodation (Europe/Paris).
///
/// `VALUE=DATE` (`20261210`) is the date itself. A UTC date-time (`20261210T230000Z`) is converted to
/// Europe/Paris before its date is taken (formats.md 1a, quirk 1: 23:00 UTC on 10 December is 11 December
/// in Paris). A date-time with `TZID` is read in that zone, then converted; a floating date-time is taken
/// as Paris local time.
enum ICalendarDate {
    /// The zone of the accommodations.
    static let paris = TimeZone(identifier: "Europe/Paris") ?? TimeZone(secondsFromGMT: 3600) ?? .current  // tzdata always has Paris

    /// The date of a value, whether it was a DATE (no time), or nil when it names no real date or time.
    static func parse(_ line: ICalendarLine) -> (date: CalendarDate, isDateOnly: Bool)? {
        let value = line.value.trimmingWhitespace()
        let digits = Array(value.utf8)
        guard digits.count >= 8, let date = date(digits.prefix(8)) else { return nil }
        if digits.count == 8 { return (date, true) }
        guard digits.count >= 15, digits[8] == UInt8(ascii: "T"), let time = time(digits[9..<15]) else { return nil }
        let isUTC = digits.count == 16 && digits[15] == UInt8(ascii: "Z")
        guard digits.count == 15 || isUTC else { return nil }
        if !isUTC && line.parameters["TZID"] == nil { return (date, false) }
        let zone = isUTC ? TimeZone(secondsFromGMT: 0) : line.parameters["TZID"].flatMap(TimeZone.init(identifier:))
        guard let zone else { return nil }
        return (parisDate(date, seconds: time, in: zone), false)
    }

    /// The Paris date of a local date and time in `zone`.
    static func parisDate(_ date: CalendarDate, seconds: Int, in zone: TimeZone) -> CalendarDate {
        let localSeconds = TimeInterval(date.daysSinceEpoch) * 86_400 + TimeInterval(seconds)
        let instant = Date(timeIntervalSince1970: localSeconds - TimeInterval(zone.secondsFromGMT(
            for: Date(timeIntervalSince1970: localSeconds))))
        let parisSeconds = instant.timeIntervalSince1970 + TimeInterval(paris.secondsFromGMT(for: instant))
        return CalendarDate(daysSinceEpoch: Int((parisSeconds / 86_400).rounded(.down)))
    }

    /// Days of a `DURATION` (`P3D`, `P1W`, `PT24H`), rounded up to whole days; nil when it is not one.
    static func durationDays(_ text: String) -> Int? {
        var rest = Substring(text.trimmingWhitespace())
        guard rest.hasPrefix("P") || rest.hasPrefix("+P") else { return nil }
        rest = rest.drop { $0 == "+" || $0 == "P" }
        var seconds = 0
        var number = ""
        for character in rest {
            if character.isASCIIDigitChar {
                number.append(character)
                continue
            }
            let unit = ["W": 604_800, "D": 86_400, "H": 3_600, "M": 60, "S": 1, "T": 0][String(character)]
            guard let unit, character == "T" || !number.isEmpty else { return nil }
            seconds += (Int(number) ?? 0) * unit
            number = ""
        }
        guard number.isEmpty else { return nil }
        return (seconds + 86_399) / 86_400
    }

    private static func date(_ bytes: ArraySlice<UInt8>) -> CalendarDate? {
        guard let n = number(bytes) else { return nil }
        return CalendarDate(year: n / 10_000, month: n / 100 % 100, day: n % 100)
    }

    private static func time(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard let n = number(bytes), n / 10_000 < 24, n / 100 % 100 < 60, n % 100 < 61 else { return nil }
        return n / 10_000 * 3_600 + n / 100 % 100 * 60 + min(n % 100, 59)
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
