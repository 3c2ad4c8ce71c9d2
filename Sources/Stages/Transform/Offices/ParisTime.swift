import Foundation
import PasserelleCore

/// Instants read and shown in Europe/Paris local time, with the EU daylight-saving rule.
///
/// A grace period is a number of elapsed hours (domain.md rule 4): its deadline is the notice's instant
/// plus that many hours, so across a daylight-saving change the wall-clock time moves by one hour
/// (told Saturday 25/03/2023 10:00, 48 h → Monday 27/03/2023 11:00). The offset comes from
/// `MIMEEncoding.parisOffsetSeconds(atUTC:)`, which needs no tzdata.
enum ParisTime {
    /// The instant of a Paris wall-clock time. In the autumn's repeated hour the first (summer) one is taken;
    /// a time in the spring's missing hour is read as winter time (02:30 → 03:30 summer time).
    static func instant(_ date: CalendarDate, hour: Int, minute: Int) -> Date {
        let local = date.daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60
        let summer = local - 7_200
        let utc = MIMEEncoding.parisOffsetSeconds(atUTC: summer) == 7_200 ? summer : local - 3_600
        return Date(timeIntervalSince1970: TimeInterval(utc))
    }

    /// `27/03/2023 11:00`: the instant as a Paris wall-clock time, to the minute.
    static func text(_ instant: Date) -> String {
        let utc = Int(instant.timeIntervalSince1970.rounded(.down))
        let local = utc + MIMEEncoding.parisOffsetSeconds(atUTC: utc)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let seconds = local - days * 86_400
        let time = String(format: "%02d:%02d", seconds / 3_600, seconds / 60 % 60)
        return "\(CalendarDate(daysSinceEpoch: days).frenchText) \(time)"
    }

    /// Reads `2026-11-20 09:00`, `2026-11-20T09:00` or `20/11/2026 09:00` as a Paris wall-clock time.
    static func parse(_ text: String) -> Date? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2, let date = CalendarDate.parse(parts[0]) else { return nil }
        let clock = parts[1].split(separator: ":")
        guard clock.count == 2 || clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]),
            (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return instant(date, hour: hour, minute: minute)
    }
}
