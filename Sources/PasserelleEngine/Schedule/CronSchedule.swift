import Foundation
import PasserelleSpec

/// A cron expression read in a time zone: which instants are its slots, and which slot is due now.
///
/// A slot is a minute whose local wall-clock time matches the expression. Daylight-saving days follow two rules,
/// so that a slot runs exactly once:
/// - **Spring forward** (Europe/Paris: 02:00 jumps to 03:00): a slot whose wall time does not exist that day
///   (`30 2 * * *`) runs at the first minute after the gap (03:00), once.
/// - **Fall back** (03:00 returns to 02:00): a wall time that occurs twice is a slot on its first occurrence
///   only (02:30 CEST, not 02:30 CET), unless the expression runs every hour (`*` in the hour field, like
///   `*/15 * * * *`): such a job follows elapsed time and runs in both passes, as Vixie cron does.
///
/// After downtime, `dueSlot(after:now:)` returns only the latest missed slot: a missed schedule runs once, not
/// once per missed slot.
///
/// ```swift
/// let schedule = CronSchedule(try CronExpression(parsing: "0 6 * * 1-6"), timeZone: CronSchedule.paris)
/// schedule.dueSlot(after: lastRun, now: clock.now)  // the slot to run now, or nil
/// ```
package struct CronSchedule: Sendable {
    package var expression: CronExpression
    package var timeZone: TimeZone
    /// How far back a due slot is looked for (one year and a day): older missed slots are forgotten.
    package static let lookBackSeconds: TimeInterval = 367 * 86_400

    /// Europe/Paris, the default zone of a schedule.
    package static var paris: TimeZone {
        // Europe/Paris ships with every tzdata; UTC+1 is its standard time should the database be missing.
        TimeZone(identifier: "Europe/Paris") ?? TimeZone(secondsFromGMT: 3600) ?? .gmt
    }

    package init(_ expression: CronExpression, timeZone: TimeZone = CronSchedule.paris) {
        self.expression = expression
        self.timeZone = timeZone
    }

    /// The latest slot `s` with `after < s <= now`, or nil when none fell due since `after`.
    package func dueSlot(after: Date, now: Date) -> Date? {
        let earliest = max(after.timeIntervalSince1970, now.timeIntervalSince1970 - CronSchedule.lookBackSeconds)
        var minute = (now.timeIntervalSince1970 / 60).rounded(.down) * 60
        while minute > earliest {
            let instant = Date(timeIntervalSince1970: minute)
            if isSlot(instant) { return instant }
            minute -= 60
        }
        return nil
    }

    /// The first slot strictly after `instant`, within the look-back span (for "next run at" messages).
    package func nextSlot(after instant: Date) -> Date? {
        var minute = (instant.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60
        let limit = instant.timeIntervalSince1970 + CronSchedule.lookBackSeconds
        while minute <= limit {
            let candidate = Date(timeIntervalSince1970: minute)
            if isSlot(candidate) { return candidate }
            minute += 60
        }
        return nil
    }

    /// Whether the minute starting at `instant` is a slot, by the daylight-saving rules above.
    package func isSlot(_ instant: Date) -> Bool {
        let wall = wallSeconds(instant)
        if expression.hours.count < 24, isRepeatedWallTime(instant) { return false }
        if matches(wallSeconds: wall) { return true }
        // Wall minutes skipped by a spring-forward gap just before this instant belong to this instant.
        var skipped = wallSeconds(instant.addingTimeInterval(-60)) + 60
        while skipped < wall {
            if matches(wallSeconds: skipped) { return true }
            skipped += 60
        }
        return false
    }

    /// Local wall-clock time as seconds since 1970-01-01 00:00 (a naive time, no zone).
    private func wallSeconds(_ instant: Date) -> Int64 {
        Int64(instant.timeIntervalSince1970.rounded(.down)) + Int64(timeZone.secondsFromGMT(for: instant))
    }

    /// True on the second pass through an hour repeated when the clocks go back.
    private func isRepeatedWallTime(_ instant: Date) -> Bool {
        let shift =
            timeZone.secondsFromGMT(for: instant.addingTimeInterval(-6 * 3600)) - timeZone.secondsFromGMT(for: instant)
        guard shift > 0 else { return false }
        return wallSeconds(instant.addingTimeInterval(-TimeInterval(shift))) == wallSeconds(instant)
    }

    private func matches(wallSeconds: Int64) -> Bool {
        let minuteOfDay = Int((wallSeconds % 86_400 + 86_400) % 86_400) / 60
        let minute = minuteOfDay % 60
        let hour = minuteOfDay / 60
        guard expression.minutes.contains(minute), expression.hours.contains(hour) else { return false }
        let days = Int((wallSeconds - Int64(minuteOfDay) * 60) / 86_400)
        let (_, month, day) = CronSchedule.civilDate(daysSince1970: days)
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4); cron counts Sunday as 0
        return expression.matches(minute: minute, hour: hour, day: day, month: month, weekday: weekday)
    }

    /// Year, month and day of a day count since 1970-01-01 (proleptic Gregorian, Howard Hinnant algorithm).
    static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
