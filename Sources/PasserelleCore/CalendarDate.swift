/// A calendar date without time or zone, as stays are: arrival 12/02/2026, departure 19/02/2026.
///
/// Stored as the number of days since 1970-01-01 (proleptic Gregorian), so comparisons and
/// night counts are integer arithmetic.
package struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01.
    package let daysSinceEpoch: Int

    package init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }

    /// Builds a date from its parts, or nil when the parts do not name a real day.
    package init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else {
            return nil
        }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        daysSinceEpoch = era * 146097 + doe - 719468
    }

    /// Year, month and day.
    package var parts: (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    package static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    /// The date `days` later.
    package func adding(days: Int) -> CalendarDate { CalendarDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// ISO 8601: `2026-02-12`.
    package var description: String {
        let (y, m, d) = parts
        return "\(y)-\(String(format2: m))-\(String(format2: d))"
    }

    /// French display: `12/02/2026`.
    package var frenchText: String {
        let (y, m, d) = parts
        return "\(String(format2: d))/\(String(format2: m))/\(y)"
    }

    /// ISO weekday, 1 = Monday … 7 = Sunday.
    package var weekday: Int {
        let w = (daysSinceEpoch + 3) % 7  // 1970-01-01 was a Thursday
        return (w < 0 ? w + 7 : w) + 1
    }

    /// Number of days in a month.
    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses exactly `yyyy-mm-dd`, as the store and `description` write dates; nil for anything else (then
    /// `parse(_:)` reads the other forms). Byte by byte: the overlap sweep reads two dates for each of a million
    /// stored stays.
    package static func parseISO(_ bytes: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let digit = Int(bytes[i]) - 0x30
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// Parses `dd/mm/yyyy`, `d/m/yy`, `dd-mm-yyyy`, `dd.mm.yyyy` and ISO `yyyy-mm-dd` (a time part is ignored).
    ///
    /// Two-digit years pivot as Excel does: 00–29 → 2000–2029, 30–99 → 1930–1999.
    package static func parse(_ text: some StringProtocol) -> CalendarDate? {
        // The store's form first, byte by byte: a month's statement reads three dates of 200 000 stored stays,
        // and splitting each into strings took a quarter of the read.
        if let iso = text.utf8.withContiguousStorageIfAvailable(parseISO), let date = iso { return date }
        let trimmed = text.trimmingWhitespace()
        let datePart = trimmed.split(whereSeparator: { $0 == " " || $0 == "T" }).first.map(String.init) ?? ""
        let pieces = datePart.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." }).map(String.init)
        guard pieces.count == 3, pieces.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigitChar) }) else {
            return nil
        }
        guard let a = Int(pieces[0]), let b = Int(pieces[1]), var c = Int(pieces[2]) else { return nil }
        if pieces[0].count == 4 { return CalendarDate(year: a, month: b, day: c) }
        if pieces[2].count == 2 { c += c < 30 ? 2000 : 1900 } else if pieces[2].count != 4 { return nil }
        return CalendarDate(year: c, month: b, day: a)
    }

    /// The date of an Excel serial number in the 1900 system (Lotus leap-year bug honoured) or the 1904 system.
    ///
    /// 1900: epoch 1899-12-30 for serials ≥ 61; 60 is the fictitious 29 Feb 1900 (mapped to 28 Feb as calamine
    /// does); 1–59 are one day off, so one is added. 1904: serial 0 is 1904-01-01.
    package static func fromExcelSerial(_ serial: Double, is1904: Bool) -> (date: CalendarDate, secondsOfDay: Int)? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        let whole = serial.rounded(.down)
        var seconds = Int(((serial - whole) * 86400).rounded())
        var days = Int(whole)
        if seconds >= 86400 {
            seconds -= 86400
            days += 1
        }
        let base: CalendarDate
        if is1904 {
            base = CalendarDate(daysSinceEpoch: -24107)  // 1904-01-01
        } else {
            base = CalendarDate(daysSinceEpoch: -25569)  // 1899-12-30
            if days < 61 { days += (days == 60 ? 0 : 1) }
        }
        return (base.adding(days: days), seconds)
    }
}

extension Character {
    /// ASCII 0–9 only (not other Unicode digits).
    package var isASCIIDigitChar: Bool { ("0"..."9").contains(self) }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace (including NBSP and narrow NBSP).
    package func trimmingWhitespace() -> String {
        var start = startIndex
        var end = endIndex
        while start < end, self[start].isWhitespace { start = index(after: start) }
        while end > start, self[index(before: end)].isWhitespace { end = index(before: end) }
        return String(self[start..<end])
    }
}
