import Foundation

/// A calendar month, `2027-04`: the period of a payout statement.
///
/// A payout for month M covers the stays departing from the first to the last day of M and is paid on
/// the last day of M (domain.md, "Channel commission").
package struct FinanceMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    package let year: Int
    package let month: Int

    package init(year: Int, month: Int) {
        let index = year * 12 + (month - 1)
        self.year = index / 12
        self.month = index % 12 + 1
    }

    /// Parses `YYYY-MM` (as `--var month=2027-04` gives it); nil for anything else.
    package init?(_ text: String) {
        let parts = text.trimmingWhitespace().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]),
            (1...12).contains(m)
        else { return nil }
        self.init(year: y, month: m)
    }

    /// The month a date falls in.
    package init(of date: CalendarDate) {
        let parts = date.parts
        self.init(year: parts.year, month: parts.month)
    }

    /// The month's first day.
    package var firstDay: CalendarDate { CalendarDate(daysSinceEpoch: Self.days(year, month, 1)) }

    /// The month's last day: the payout date.
    package var lastDay: CalendarDate {
        CalendarDate(daysSinceEpoch: Self.days(year, month, CalendarDate.daysIn(month: month, year: year)))
    }

    /// The month `count` months later (earlier when negative).
    package func adding(months count: Int) -> FinanceMonth { FinanceMonth(year: year, month: month + count) }

    /// `2027-04`.
    package var description: String { "\(year)-\(String(format2: month))" }

    /// `avril 2027`, for titles.
    package var frenchName: String { "\(Self.names[month - 1]) \(year)" }

    /// `avr. 27`, for chart labels.
    package var shortFrenchName: String { "\(Self.shortNames[month - 1]) \(String(format2: year % 100))" }

    package static func < (lhs: FinanceMonth, rhs: FinanceMonth) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }

    private static func days(_ year: Int, _ month: Int, _ day: Int) -> Int {
        // Always valid: month in 1...12 and day within the month.
        CalendarDate(year: year, month: month, day: day)?.daysSinceEpoch ?? 0
    }

    private static let names = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre",
    ]
    private static let shortNames = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.",
    ]
}
