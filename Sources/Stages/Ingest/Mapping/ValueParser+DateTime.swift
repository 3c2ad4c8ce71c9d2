import PasserelleCore

/// The `datetime` column type: a Europe/Paris wall-clock date and time, as booking exports write when a
/// booking was taken.
extension ValueParser {
    /// A date cell, an Excel 1900 serial (with its time of day), or a date and time written as text.
    ///
    /// Text: `14/07/2026 17:45`, `2026-07-14 17:45:00`, `2026-07-14T15:45:00Z`, `2026-07-14T17:45:00+02:00`. A
    /// time with a zone is converted to Paris time; a date without a time is refused (the time matters, e.g.
    /// for a cut-off hour).
    static func dateTime(_ cell: CellValue) -> LocalDateTime? {
        switch cell {
        case .date(let date, let seconds): return LocalDateTime(date: date, secondsOfDay: seconds)
        case .number(let serial) where serial >= 1:
            return CalendarDate.fromExcelSerial(serial, is1904: false).map {
                LocalDateTime(date: $0.date, secondsOfDay: $0.secondsOfDay)
            }
        case .text(let text): return zonedDateTime(CellBytes.trimmed(text)) ?? LocalDateTime.parse(text)
        default: return nil
        }
    }

    /// An ISO date-time with a zone (`Z`, `+02:00`, `-0500`) as Paris wall-clock time; nil without a zone.
    static func zonedDateTime(_ text: String) -> LocalDateTime? {
        guard text.count > 16, let (local, offset) = splitZone(text), let written = LocalDateTime.parse(local)
        else { return nil }
        let utc = written.date.daysSinceEpoch * 86_400 + written.secondsOfDay - offset
        let paris = utc + MIMEEncoding.parisOffsetSeconds(atUTC: utc)
        return LocalDateTime(date: CalendarDate(daysSinceEpoch: 0), secondsOfDay: paris)
    }

    /// The text before the zone and the zone's offset east of UTC in seconds.
    private static func splitZone(_ text: String) -> (String, Int)? {
        if text.hasSuffix("Z") { return (String(text.dropLast()), 0) }
        // The zone follows the time: look for the last sign after the 'T' or space that starts the time.
        guard let timeStart = text.lastIndex(where: { $0 == "T" || $0 == " " }),
            let sign = text[timeStart...].lastIndex(where: { $0 == "+" || $0 == "-" })
        else { return nil }
        let digits = text[text.index(after: sign)...].filter { $0 != ":" }
        guard digits.count == 4, digits.allSatisfy(\.isASCIIDigitChar), let hours = Int(digits.prefix(2)),
            let minutes = Int(digits.suffix(2)), hours < 15, minutes < 60
        else { return nil }
        let offset = (hours * 3_600 + minutes * 60) * (text[sign] == "-" ? -1 : 1)
        return (String(text[..<sign]), offset)
    }
}

extension ValueProblem {
    /// `ingest.value.datetime`.
    static func dateTime(_ cell: CellValue) -> ValueProblem {
        ValueProblem(
            rule: "ingest.value.datetime", message: "date et heure illisibles : « \(cell.displayText) »",
            fix: "saisissez la date et l'heure au format jj/mm/aaaa hh:mm, par exemple 14/07/2026 17:45")
    }
}
