import Foundation
import PasserelleCore
/// A five-field cron expression (`minute hour day-of-month month day-of-week`), as crontab(5) writes it.
///
/// Supports `*`, lists (`1,15`), ranges (`1-5`), steps (`*/15`, `8-18/2`), month and weekday names
/// (`jan`, `mon-fri`, 7 = Sunday as 0) and the macros `@yearly @annually @monthly @weekly @daily @midnight @hourly`.
package struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    package let text: String
    package let minutes: Set<Int>
    package let hours: Set<Int>
    package let daysOfMonth: Set<Int>
    package let months: Set<Int>
    package let daysOfWeek: Set<Int>

    package var description: String { text }

    /// Why an expression was refused: which field and what was wrong.
    package struct Problem: Error, Equatable {
        package var message: String
        package var fix: String
    }

    private static let macros = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]
    private static let fieldNames = ["minute", "hour", "day of month", "month", "day of week"]
    private static let bounds = [0...59, 0...23, 1...31, 1...12, 0...7]
    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// Parses an expression, or throws a `Problem` naming the faulty field.
    package init(parsing text: String) throws {
        let trimmed = text.trimmingWhitespace()
        let expanded = CronExpression.macros[trimmed.lowercased()] ?? trimmed
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw Problem(
                message: "a cron expression has 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)",
                fix: "write e.g. '0 6 * * *' for every day at 06:00, or '@daily'")
        }
        var sets: [Set<Int>] = []
        for (i, field) in fields.enumerated() {
            sets.append(try CronExpression.parseField(field, index: i))
        }
        self.text = trimmed
        minutes = sets[0]
        hours = sets[1]
        daysOfMonth = sets[2]
        months = sets[3]
        daysOfWeek = Set(sets[4].map { $0 == 7 ? 0 : $0 })
    }

    private static func parseField(_ field: String, index: Int) throws -> Set<Int> {
        var values = Set<Int>()
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
            values.formUnion(try parsePart(String(part), index: index))
        }
        return values
    }

    private static func parsePart(_ part: String, index: Int) throws -> Set<Int> {
        let bound = bounds[index]
        let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { throw problem(part, index) }
        var step = 1
        if pieces.count == 2 {
            guard let s = Int(pieces[1]), s > 0 else { throw problem(part, index) }
            step = s
        }
        let range: ClosedRange<Int>
        if pieces[0] == "*" {
            range = bound
        } else {
            let ends = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count <= 2, let low = value(String(ends[0]), index: index) else { throw problem(part, index) }
            var high = pieces.count == 2 && ends.count == 1 ? bound.upperBound : low
            if ends.count == 2 {
                guard let h = value(String(ends[1]), index: index) else { throw problem(part, index) }
                high = h
            }
            guard bound.contains(low), bound.contains(high), low <= high else { throw problem(part, index) }
            range = low...high
        }
        return Set(stride(from: range.lowerBound, through: range.upperBound, by: step))
    }

    private static func value(_ text: String, index: Int) -> Int? {
        if let number = Int(text) { return number }
        let lower = text.lowercased()
        if index == 3, let i = monthNames.firstIndex(of: lower) { return i + 1 }
        if index == 4, let i = dayNames.firstIndex(of: lower) { return i }
        return nil
    }

    private static func problem(_ part: String, _ index: Int) -> Problem {
        let bound = bounds[index]
        return Problem(
            message: "'\(part)' is not a valid \(fieldNames[index]) (expected \(bound.lowerBound)-\(bound.upperBound), "
                + "a list, a range or a step)",
            fix: "use e.g. '*', '5', '1-5', '*/15' or '1,15' in the \(fieldNames[index]) field")
    }

    /// Whether the expression fires at this minute (local wall-clock parts). Day fields follow cron's rule:
    /// when both day-of-month and day-of-week are restricted, either may match.
    package func matches(minute: Int, hour: Int, day: Int, month: Int, weekday: Int) -> Bool {
        guard minutes.contains(minute), hours.contains(hour), months.contains(month) else { return false }
        let domRestricted = daysOfMonth.count < 31
        let dowRestricted = daysOfWeek.count < 7
        if domRestricted && dowRestricted { return daysOfMonth.contains(day) || daysOfWeek.contains(weekday % 7) }
        return daysOfMonth.contains(day) && daysOfWeek.contains(weekday % 7)
    }
}
