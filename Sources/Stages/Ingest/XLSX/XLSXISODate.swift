import PasserelleCore

/// Reads the ISO 8601 values of `t="d"` cells: `2021-01-01`, `2021-01-01T10:10:10(.123)(Z)`, `10:10:10`.
enum XLSXISODate {
    /// The date cell, or nil when the text is not ISO 8601.
    ///
    /// A time alone is placed on 1899-12-31, the day Excel's serials below 1 fall on (as calamine reads them).
    static func value(_ raw: String) -> CellValue? {
        let trimmed = raw.trimmingWhitespace()
        let halves = trimmed.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        if halves.count == 1, trimmed.contains(":") {
            guard let seconds = secondsOfDay(trimmed[...]), let base = CalendarDate(year: 1899, month: 12, day: 31)
            else { return nil }
            return .date(base, secondsOfDay: seconds)
        }
        let parts = halves[0].split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]),
            let day = Int(parts[2]), let date = CalendarDate(year: year, month: month, day: day)
        else { return nil }
        guard halves.count == 2 else { return .date(date, secondsOfDay: 0) }
        guard let seconds = secondsOfDay(halves[1]) else { return nil }
        return seconds >= 86_400 ? .date(date.adding(days: 1), secondsOfDay: seconds - 86_400)
            : .date(date, secondsOfDay: seconds)
    }

    /// Seconds into the day of `HH:MM(:SS(.fff))` with an optional `Z` or `±hh:mm` suffix ignored.
    private static func secondsOfDay(_ text: Substring) -> Int? {
        var clock = text
        if let zone = clock.firstIndex(where: { $0 == "Z" || $0 == "+" || ($0 == "-") }) { clock = clock[..<zone] }
        let fields = clock.split(separator: ":")
        guard fields.count == 2 || fields.count == 3, let hours = Int(fields[0]), let minutes = Int(fields[1]),
            (0...23).contains(hours), (0...59).contains(minutes)
        else { return nil }
        let seconds = fields.count == 3 ? Double(fields[2]) : 0
        guard let seconds, seconds >= 0, seconds < 61 else { return nil }
        return hours * 3600 + minutes * 60 + Int(seconds.rounded())
    }
}
